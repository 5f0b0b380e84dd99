/*
 * Comparing what a module's latest scan read with the registry: tokens that
 * appear (first sightings are recorded as unregistered), vanish, change PIN
 * state or certificates, or carry other certificates than the ones bound to
 * them (token.mismatch). One transaction per scan; nothing is written when
 * nothing changed. Loop thread only.
 */
#pragma once

#include "khoad.h"
#include "token.h"

/* TOKENS, what MODULE's latest successful scan read (a failed scan says
 * nothing about its tokens: not called). 1 when something changed
 * (committed), 0 when nothing did, or a negative errno. */
int reconcile_module(struct khoad *d, const char *module, const struct khoa_token_list *tokens);
