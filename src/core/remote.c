/* remote.c - see remote.h. */
#include "remote.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

static void mac_field(EVP_MAC_CTX *c, const char *s)
{
	char head[32];
	size_t len = strlen(s);
	int n = snprintf(head, sizeof head, "\n%zu:", len);
	EVP_MAC_update(c, (const unsigned char *)head, (size_t)n);
	EVP_MAC_update(c, (const unsigned char *)s, len);
}

/* The same construction as an ack's signature (acksig.c), its own domain
 * string so that no ack can pass for a command or the other way round. */
void remote_sign(const struct acksig_key *key, const char *target, const char *cmd,
		 int64_t at, char out[ACKSIG_HEX_LEN + 1])
{
	static const char domain[] = "wallboard-cmd-v1", hex[] = "0123456789abcdef";
	unsigned char m[32];
	size_t n = 0;
	char at_s[32];
	out[0] = '\0';
	if (!key || !key->len)
		return;
	snprintf(at_s, sizeof at_s, "%" PRId64, at);
	EVP_MAC *alg = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *c = alg ? EVP_MAC_CTX_new(alg) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	bool ok = c && EVP_MAC_init(c, key->bytes, key->len, params) == 1;
	if (ok) {
		EVP_MAC_update(c, (const unsigned char *)domain, sizeof domain - 1);
		mac_field(c, target);
		mac_field(c, cmd);
		mac_field(c, at_s);
		ok = EVP_MAC_final(c, m, &n, sizeof m) == 1 && n == sizeof m;
	}
	EVP_MAC_CTX_free(c);
	EVP_MAC_free(alg);
	if (!ok) {
		log_error("remote", "HMAC-SHA256 failed in libcrypto");
		return;
	}
	for (size_t i = 0; i < sizeof m; i++) {
		out[2 * i] = hex[m[i] >> 4];
		out[2 * i + 1] = hex[m[i] & 15];
	}
	out[ACKSIG_HEX_LEN] = '\0';
}

/* "dim 40" etc. into out. */
static bool parse_line(const char *line, struct remote_request *out, char *why, size_t size)
{
	char word[16] = "", rest[32] = "", extra[8] = "";
	int n = sscanf(line, "%15s %31s %7s", word, rest, extra);
	snprintf(out->line, sizeof out->line, "%s", line);
	out->arg = 0;
	if (n == 1 && !strcmp(word, "screenshot"))
		return out->cmd = REMOTE_SCREENSHOT, true;
	if (n == 1 && !strcmp(word, "identify"))
		return out->cmd = REMOTE_IDENTIFY, true;
	if (n == 1 && !strcmp(word, "reload"))
		return out->cmd = REMOTE_RELOAD, true;
	if (n == 2 && !strcmp(word, "page") && !strcmp(rest, "next"))
		return out->cmd = REMOTE_PAGE_NEXT, true;
	if (n == 2 && !strcmp(word, "dim")) {
		char *end;
		long v = strtol(rest, &end, 10);
		if (*end || end == rest || v < 0 || v > 100)
			return util_refuse(why, size, "dim wants 0..100, got \"%.20s\"", rest);
		out->cmd = REMOTE_DIM;
		out->arg = (int)v;
		return true;
	}
	return util_refuse(why, size, "unknown command \"%.40s\" (screenshot, identify, "
		      "dim 0-100, reload, page next)", line);
}

static bool accept_json(struct remote_policy *p, const char *target, cJSON *o,
			int64_t now, struct remote_request *out, char *why, size_t size)
{
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(o, "cmd");
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, "at");
	const cJSON *sig = cJSON_GetObjectItemCaseSensitive(o, "sig");
	if (!cJSON_IsString(cmd) || strlen(cmd->valuestring) >= sizeof out->line)
		return util_refuse(why, size, "\"cmd\" missing or too long");
	bool have_key = p->key && p->key->len;
	if (!cJSON_IsString(sig)) {
		if (have_key || !p->allow_unsigned)
			return util_refuse(why, size, "unsigned command refused (%s)", have_key ?
				      "an ack key is configured" : "remote.allow_unsigned is off");
		return parse_line(cmd->valuestring, out, why, size);
	}
	if (!have_key)
		return util_refuse(why, size, "signed command, but this board has no ack key");
	if (!cJSON_IsNumber(at))
		return util_refuse(why, size, "a signed command needs \"at\" (epoch seconds)");
	int64_t t = (int64_t)at->valuedouble;
	char want[ACKSIG_HEX_LEN + 1];
	remote_sign(p->key, target, cmd->valuestring, t, want);
	if (strlen(sig->valuestring) != ACKSIG_HEX_LEN || !want[0] ||
	    CRYPTO_memcmp(want, sig->valuestring, ACKSIG_HEX_LEN) != 0)
		return util_refuse(why, size, "bad signature");
	if (t < now - REMOTE_SKEW_S || t > now + REMOTE_SKEW_S)
		return util_refuse(why, size, "made at %" PRId64 ", %" PRId64 " s from this board's "
			      "clock (at most %d)", t, t - now, REMOTE_SKEW_S);
	if (t <= p->last_at)
		return util_refuse(why, size, "replayed (not newer than the last command taken)");
	if (!parse_line(cmd->valuestring, out, why, size))
		return false;
	p->last_at = t;
	return true;
}

bool remote_accept(struct remote_policy *p, const char *target, const void *payload,
		   size_t len, bool retained, int64_t now, struct remote_request *out,
		   char *why, size_t why_size)
{
	char line[64];
	if (retained)
		return util_refuse(why, why_size, "retained command ignored (publish without -r)");
	if (len == 0 || len > 4096)
		return util_refuse(why, why_size, "empty or over 4 KiB");
	const char *s = payload;
	if (s[0] != '{') {
		if ((p->key && p->key->len) || !p->allow_unsigned)
			return util_refuse(why, why_size, "unsigned command refused (%s)",
				      p->key && p->key->len ? "an ack key is configured" :
							      "remote.allow_unsigned is off");
		if (len >= sizeof line)
			return util_refuse(why, why_size, "command too long");
		memcpy(line, s, len);
		line[len] = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		return parse_line(line, out, why, why_size);
	}
	cJSON *o = cJSON_ParseWithLength(s, len);
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return util_refuse(why, why_size, "not a JSON object");
	}
	bool ok = accept_json(p, target, o, now, out, why, why_size);
	cJSON_Delete(o);
	return ok;
}
