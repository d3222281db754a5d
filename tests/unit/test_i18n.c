/* test_i18n.c - the board's own words: channel names per language, the
 * configured name over the built-in one, and numbers in the language's
 * digits (Persian ۰-۹ unless digits = latin; texts of producers are not
 * this module's business). */
#include "i18n.h"

#include <stdio.h>
#include <string.h>

#include "check.h"

struct name_row {
	enum lang lang;
	const char *key;
	const char *name; /* NULL: not a built-in channel */
};

static const struct name_row name_rows[] = {
	{ LANG_EN, "whatsapp", "WhatsApp" },
	{ LANG_EN, "facebook", "Facebook" },
	{ LANG_EN, "instagram", "Instagram" },
	{ LANG_EN, "x", "X" },
	{ LANG_EN, "twitter", "X" },
	{ LANG_EN, "webchat", "Web chat" },
	{ LANG_EN, "email", "E-mail" },
	{ LANG_EN, "e-mail", "E-mail" },
	{ LANG_HE, "whatsapp", "וואטסאפ" },
	{ LANG_HE, "facebook", "פייסבוק" },
	{ LANG_HE, "instagram", "אינסטגרם" },
	{ LANG_HE, "x", "X" },
	{ LANG_HE, "webchat", "צ׳אט באתר" },
	{ LANG_HE, "email", "דוא״ל" },
	{ LANG_FA, "whatsapp", "واتس\u200cاپ" },
	{ LANG_FA, "facebook", "فیس\u200cبوک" },
	{ LANG_FA, "instagram", "اینستاگرام" },
	{ LANG_FA, "x", "X" },
	{ LANG_FA, "webchat", "چت سایت" },
	{ LANG_FA, "email", "ایمیل" },
	{ LANG_EN, "phone", NULL },
	{ LANG_FA, "WhatsApp", NULL }, /* keys arrive lower-cased */
	{ LANG_EN, "", NULL },
};

static void run_name_rows(void)
{
	for (size_t i = 0; i < sizeof name_rows / sizeof name_rows[0]; i++) {
		const struct name_row *r = &name_rows[i];
		const char *got = i18n_channel_name(r->lang, r->key);
		checkf(r->name ? got && strcmp(got, r->name) == 0 : got == NULL,
		       "channel name row %zu (%s, %s): got %s", i, i18n_lang_code(r->lang),
		       r->key, got ? got : "NULL");
	}
	checkf(i18n_channel_name(LANG_EN, NULL) == NULL, "channel name of NULL");
}

/* Configured name first, then the built-in one, then the key. */
static void run_labels(void)
{
	struct config cfg;
	char buf[64];
	config_defaults(&cfg);
	cfg.lang = LANG_HE;
	snprintf(cfg.channels[0].key, sizeof cfg.channels[0].key, "whatsapp");
	snprintf(cfg.channels[0].name, sizeof cfg.channels[0].name, "wa support");
	snprintf(cfg.channels[1].key, sizeof cfg.channels[1].key, "facebook");
	cfg.channels[1].name[0] = '\0'; /* [channel.facebook] with a colour only */
	cfg.n_channels = 2;
	static const struct { const char *key, *label; } rows[] = {
		{ "whatsapp", "wa support" }, /* configured, kept as written */
		{ "facebook", "פייסבוק" },
		{ "email", "דוא״ל" },
		{ "phone", "Phone" },
		{ "טלפון", "טלפון" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		i18n_channel_label(&cfg, rows[i].key, buf, sizeof buf);
		checkf(strcmp(buf, rows[i].label) == 0, "label of %s: %s", rows[i].key, buf);
	}
	cfg.lang = LANG_FA;
	checkf(strcmp(i18n_channel_label(&cfg, "email", buf, sizeof buf), "ایمیل") == 0,
	       "label follows the language");
	checkf(strcmp(i18n_channel_label(&cfg, "instagram", buf, 5), "") == 0 ||
	       strlen(buf) < 5, "label fits its buffer");
}

struct digit_row {
	enum lang lang;
	enum digits digits;
	const char *in, *out;
	size_t size; /* 0: 64 */
};

static const struct digit_row digit_rows[] = {
	{ LANG_FA, DIGITS_NATIVE, "0123456789", "۰۱۲۳۴۵۶۷۸۹", 0 },
	{ LANG_FA, DIGITS_NATIVE, "+1:02:13", "+۱:۰۲:۱۳", 0 },
	{ LANG_FA, DIGITS_NATIVE, "95%", "۹۵%", 0 },
	{ LANG_FA, DIGITS_NATIVE, "2d 03h", "۲d ۰۳h", 0 },
	{ LANG_FA, DIGITS_NATIVE, "19/20", "۱۹/۲۰", 0 },
	{ LANG_FA, DIGITS_NATIVE, "", "", 0 },
	{ LANG_FA, DIGITS_NATIVE, "۱۲ and 3", "۱۲ and ۳", 0 }, /* already native: kept */
	{ LANG_FA, DIGITS_LATIN, "12:34", "12:34", 0 },
	{ LANG_HE, DIGITS_NATIVE, "12:34", "12:34", 0 },
	{ LANG_EN, DIGITS_NATIVE, "12:34", "12:34", 0 },
	/* cut at a character boundary: "۱۲" is 4 bytes, a third digit does
	 * not fit in 6 */
	{ LANG_FA, DIGITS_NATIVE, "123", "۱۲", 6 },
	{ LANG_FA, DIGITS_NATIVE, "a۱b", "a", 3 },
	{ LANG_EN, DIGITS_NATIVE, "12345", "12", 3 },
	{ LANG_FA, DIGITS_NATIVE, "1", "", 1 },
};

static void run_digit_rows(void)
{
	for (size_t i = 0; i < sizeof digit_rows / sizeof digit_rows[0]; i++) {
		const struct digit_row *r = &digit_rows[i];
		char out[64];
		memset(out, 'x', sizeof out);
		const char *got = i18n_digits(r->lang, r->digits, r->in, out,
					      r->size ? r->size : sizeof out);
		checkf(got == out && strcmp(out, r->out) == 0, "digits row %zu (%s): got \"%s\"",
		       i, r->in, out);
	}
	char one = 'x';
	i18n_digits(LANG_FA, DIGITS_NATIVE, "1", &one, 0);
	checkf(one == 'x', "digits: size 0 writes nothing");
	checkf(i18n_digit_zero(LANG_FA, DIGITS_NATIVE) == 0x06f0 &&
	       i18n_digit_zero(LANG_FA, DIGITS_LATIN) == '0' &&
	       i18n_digit_zero(LANG_HE, DIGITS_NATIVE) == '0' &&
	       i18n_digit_zero(LANG_EN, DIGITS_NATIVE) == '0', "digit zero per language");
}

int main(void)
{
	run_name_rows();
	run_labels();
	run_digit_rows();
	return check_summary();
}
