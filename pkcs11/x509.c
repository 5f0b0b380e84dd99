/* X.509 fields through OpenSSL, printed as the openssl command prints them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "text.h"
#include "x509.h"

/* What BIO received, as sanitized text. */
static char *
bio_text(BIO *bio)
{
	char *data;
	long len = BIO_get_mem_data(bio, &data);
	return khoa_text_from_bytes(data, len > 0 ? (size_t)len : 0);
}

static char *
serial_text(const X509 *x)
{
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio)
		return NULL;
	char *s = i2a_ASN1_INTEGER(bio, X509_get0_serialNumber(x)) >= 0 ? bio_text(bio) : NULL;
	BIO_free(bio);
	return s;
}

/* `openssl x509 -nameopt oneline,-esc_msb`: "C = VN, ST = Thái Bình, CN = …" */
static char *
name_text(const X509_NAME *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio)
		return NULL;
	char *s = X509_NAME_print_ex(bio, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) >= 0
		  ? bio_text(bio) : NULL;
	BIO_free(bio);
	return s;
}

/* The last CN of NAME as UTF-8; *out stays NULL when there is none. */
static int
cn_text(const X509_NAME *name, char **out)
{
	*out = NULL;
	int idx = -1, last = -1;
	while ((idx = X509_NAME_get_index_by_NID(name, NID_commonName, idx)) >= 0)
		last = idx;
	if (last < 0)
		return 0;

	const ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last));
	unsigned char *utf8 = NULL;
	int len = ASN1_STRING_to_UTF8(&utf8, data);
	if (len < 0)
		return 0;	/* an undecodable CN is as good as none */
	*out = khoa_text_from_bytes(utf8, (size_t)len);
	OPENSSL_free(utf8);
	return *out ? 0 : -ENOMEM;
}

static int
time_text(const ASN1_TIME *t, char out[21])
{
	struct tm tm;
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return -EBADMSG;
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

static int
fingerprint_text(const X509 *x, char out[96])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!X509_digest(x, EVP_sha256(), md, &n))
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++)
		snprintf(out + 3 * i, 4, i + 1 < n ? "%02X:" : "%02X", md[i]);
	return 0;
}

static int
key_info(const X509 *x, struct khoa_cert *c)
{
	EVP_PKEY *pkey = X509_get0_pubkey(x);
	const char *alg = "unknown";
	if (pkey) {
		int id = EVP_PKEY_get_base_id(pkey);
		alg = id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC" :
		      id == EVP_PKEY_ED25519 ? "ED25519" : id == EVP_PKEY_ED448 ? "ED448" :
		      id == EVP_PKEY_DSA ? "DSA" : OBJ_nid2sn(id);
		c->key_bits = EVP_PKEY_get_bits(pkey);
	}
	c->key_algorithm = strdup(alg ? alg : "unknown");
	return c->key_algorithm ? 0 : -ENOMEM;
}

int
khoa_cert_read_der(const unsigned char *der, size_t len, struct khoa_cert *out)
{
	const unsigned char *p = der;
	int r = -ENOMEM;

	memset(out, 0, sizeof(*out));
	X509 *x = d2i_X509(NULL, &p, (long)len);
	if (!x)
		return -EBADMSG;

	if (!(out->serial = serial_text(x)) ||
	    !(out->subject = name_text(X509_get_subject_name(x))) ||
	    !(out->issuer = name_text(X509_get_issuer_name(x))) ||
	    cn_text(X509_get_subject_name(x), &out->subject_cn) < 0 ||
	    cn_text(X509_get_issuer_name(x), &out->issuer_cn) < 0 ||
	    fingerprint_text(x, out->sha256) < 0 ||
	    key_info(x, out) < 0)
		goto fail;
	if (time_text(X509_get0_notBefore(x), out->not_before) < 0 ||
	    time_text(X509_get0_notAfter(x), out->not_after) < 0) {
		r = -EBADMSG;
		goto fail;
	}
	X509_free(x);
	return 0;

fail:
	X509_free(x);
	khoa_cert_clear(out);
	return r;
}
