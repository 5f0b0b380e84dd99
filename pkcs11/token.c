/* Freeing the snapshot data. */
#include <stdlib.h>
#include <string.h>

#include "token.h"

void
khoa_cert_clear(struct khoa_cert *c)
{
	free(c->serial);
	free(c->subject);
	free(c->subject_cn);
	free(c->issuer);
	free(c->issuer_cn);
	free(c->key_algorithm);
	free(c->id);
	free(c->label);
	memset(c, 0, sizeof(*c));
}

void
khoa_token_clear(struct khoa_token *t)
{
	for (size_t i = 0; i < t->n_certs; i++)
		khoa_cert_clear(&t->certs[i]);
	free(t->certs);
	free(t->serial);
	free(t->label);
	free(t->manufacturer);
	free(t->model);
	free(t->slot_description);
	free(t->module);
	memset(t, 0, sizeof(*t));
}

void
khoa_token_list_clear(struct khoa_token_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		khoa_token_clear(&l->tokens[i]);
	free(l->tokens);
	l->tokens = NULL;
	l->n = 0;
}
