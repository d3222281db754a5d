/* acksig.c - see acksig.h. */
#include "acksig.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "log.h"

#define TAG "acksig"
#define NEW_KEY_BYTES 32

static const char hexdig[] = "0123456789abcdef";

bool acksig_key_load(const char *path, struct acksig_key *out)
{
	memset(out, 0, sizeof *out);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		log_error(TAG, "ack key %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	bool ok = false;
	if (!S_ISREG(st.st_mode))
		log_error(TAG, "ack key %s: not a regular file", path);
	else if (st.st_mode & 077)
		log_error(TAG, "ack key %s: mode %03o lets others read or change it "
			  "(chmod 600 %s)", path, (unsigned)(st.st_mode & 0777), path);
	else if (st.st_size < ACKSIG_KEY_MIN || st.st_size > ACKSIG_KEY_MAX)
		log_error(TAG, "ack key %s: %lld bytes, must be %d to %d (make one "
			  "with wallboard --make-ack-key FILE)", path,
			  (long long)st.st_size, ACKSIG_KEY_MIN, ACKSIG_KEY_MAX);
	else
		ok = true;
	ssize_t n = ok ? read(fd, out->bytes, sizeof out->bytes) : -1;
	close(fd);
	if (ok && n != st.st_size) {
		log_error(TAG, "ack key %s: short read", path);
		ok = false;
	}
	if (!ok) {
		acksig_key_wipe(out);
		return false;
	}
	out->len = (size_t)n;
	return true;
}

bool acksig_key_make(const char *path)
{
	unsigned char raw[NEW_KEY_BYTES];
	char text[2 * NEW_KEY_BYTES + 1];
	if (RAND_bytes(raw, sizeof raw) != 1) {
		log_error(TAG, "no random bytes from the system");
		return false;
	}
	for (size_t i = 0; i < sizeof raw; i++) {
		text[2 * i] = hexdig[raw[i] >> 4];
		text[2 * i + 1] = hexdig[raw[i] & 15];
	}
	text[2 * NEW_KEY_BYTES] = '\n';
	OPENSSL_cleanse(raw, sizeof raw);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_error(TAG, "%s: %s", path, strerror(errno));
		OPENSSL_cleanse(text, sizeof text);
		return false;
	}
	bool ok = write(fd, text, sizeof text) == (ssize_t)sizeof text && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	OPENSSL_cleanse(text, sizeof text);
	if (!ok) {
		log_error(TAG, "%s: write failed: %s", path, strerror(errno));
		unlink(path);
	}
	return ok;
}

/* Appends "\n<len>:<bytes>" to the MAC. */
static void mac_field(EVP_MAC_CTX *c, const void *p, size_t len)
{
	char head[32];
	int n = snprintf(head, sizeof head, "\n%zu:", len);
	EVP_MAC_update(c, (const unsigned char *)head, (size_t)n);
	EVP_MAC_update(c, p, len);
}

static void mac_int(EVP_MAC_CTX *c, int64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%" PRId64, v);
	mac_field(c, buf, (size_t)n);
}

/* The raw 32-byte HMAC of ack; false only if libcrypto fails. */
static bool mac(const struct acksig_key *k, const struct msg_ack *ack,
		unsigned char out[32])
{
	static const char domain[] = "wallboard-ack-v1";
	EVP_MAC *alg = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *c = alg ? EVP_MAC_CTX_new(alg) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	size_t n = 0;
	bool ok = c && EVP_MAC_init(c, k->bytes, k->len, params) == 1;
	if (ok) {
		EVP_MAC_update(c, (const unsigned char *)domain, sizeof domain - 1);
		mac_field(c, ack->alarm, strlen(ack->alarm));
		mac_field(c, ack->by, strlen(ack->by));
		mac_field(c, ack->board, strlen(ack->board));
		mac_int(c, ack->at);
		mac_int(c, ack->until);
		ok = EVP_MAC_final(c, out, &n, 32) == 1 && n == 32;
	}
	EVP_MAC_CTX_free(c);
	EVP_MAC_free(alg);
	if (!ok)
		log_error(TAG, "HMAC-SHA256 failed in libcrypto");
	return ok;
}

void acksig_sign(const struct acksig_key *k, const struct msg_ack *ack,
		 char out[ACKSIG_HEX_LEN + 1])
{
	unsigned char m[32];
	out[0] = '\0';
	if (!k || !k->len || !mac(k, ack, m))
		return;
	for (size_t i = 0; i < sizeof m; i++) {
		out[2 * i] = hexdig[m[i] >> 4];
		out[2 * i + 1] = hexdig[m[i] & 15];
	}
	out[ACKSIG_HEX_LEN] = '\0';
}

bool acksig_verify(const struct acksig_key *k, const struct msg_ack *ack)
{
	char want[ACKSIG_HEX_LEN + 1];
	if (!k || !k->len || strlen(ack->sig) != ACKSIG_HEX_LEN)
		return false;
	acksig_sign(k, ack, want);
	return want[0] && CRYPTO_memcmp(want, ack->sig, ACKSIG_HEX_LEN) == 0;
}

void acksig_key_wipe(struct acksig_key *k)
{
	if (k) {
		OPENSSL_cleanse(k->bytes, sizeof k->bytes);
		k->len = 0;
	}
}
