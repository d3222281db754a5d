/* i18n.c - see i18n.h.
 *
 * Short words for a wall display: they must fit in a tile read from
 * across a room. Persian uses Persian letters (ی ک) and ZWNJ (U+200C)
 * where the orthography wants a half space. */
#include "i18n.h"

#include <stdio.h>
#include <string.h>

static const char *const words[3][STR_COUNT] = {
	[LANG_EN] = {
		[STR_OPEN] = "Open",
		[STR_BREACHED] = "Breached",
		[STR_AT_RISK] = "At risk",
		[STR_PAUSED] = "Paused",
		[STR_OLDEST_WAIT] = "Oldest wait",
		[STR_NEXT_DUE] = "Next due",
		[STR_HEALTHY] = "OK",
		[STR_LIVE] = "Live",
		[STR_NOT_LIVE] = "DATA NOT LIVE",
		[STR_CONNECTING] = "Connecting",
		[STR_BREACH_LIST] = "Breached response times",
		[STR_AT_RISK_LIST] = "Due soon",
		[STR_NO_BREACHES] = "No breached complaints",
		[STR_ATTAINMENT] = "On time today",
		[STR_CRISIS] = "CRISIS",
		[STR_PLAYBOOK] = "Playbook",
		[STR_CONTACTS] = "Contacts",
		[STR_OVERDUE] = "overdue",
		[STR_DUE_IN] = "due in",
		[STR_UNASSIGNED] = "unassigned",
		[STR_REJECTED] = "Rejected messages",
		[STR_MORE] = "more",
		[STR_VIP] = "VIP",
		[STR_HIGH] = "High",
		[STR_SINCE] = "since",
		[STR_WHAT_BREACH] = "Breach",
		[STR_WHAT_VIP_BREACH] = "VIP breach",
		[STR_WHAT_FLOOD] = "Flood",
		[STR_WHAT_LIMIT] = "Limit",
		[STR_WHAT_CRISIS] = "Crisis",
		[STR_ALARM_CRISIS] = "Crisis",
		[STR_ALARM_FLOOD] = "Many breaches",
		[STR_ALARM_OPEN] = "Too many open",
		[STR_ALARM_BREACHED] = "Too many breached",
		[STR_ALARM_WAIT] = "Long wait",
		[STR_ALARM_BREACH] = "Breached",
		[STR_ACKED_BY] = "Acknowledged by",
		[STR_ESCALATED] = "Escalated",
		[STR_CLEARED] = "Cleared",
		[STR_ACKNOWLEDGE] = "Acknowledge",
		[STR_ENTER_PIN] = "Enter PIN",
		[STR_WRONG_PIN] = "Wrong PIN",
		[STR_LOCKED] = "Locked, try again in",
		[STR_CANCEL] = "Cancel",
		[STR_OK] = "OK",
		[STR_NO_LEADS] = "No leads configured",
		[STR_INCOMPLETE] = "INCOMPLETE",
		[STR_SHOWING] = "showing",
		[STR_OF] = "of",
		[STR_COMPLAINTS] = "complaints",
		[STR_TIMERS] = "SLA timers",
		[STR_QUEUE_LIMIT] = "(broker queue limit?)",
		[STR_FEED] = "Feed",
		[STR_SILENT_SINCE] = "silent since",
		[STR_OFFLINE] = "offline",
		[STR_UNTIL] = ", until",
		[STR_ALARM_SURGE] = "Surge",
		[STR_DRILL] = "DRILL",
		[STR_PUBLIC] = "Public",
		[STR_NO_STEP] = "no step taken",
		[STR_DONE] = "done",
		[STR_ACKS_NOT_DURABLE] = "Acks not durable",
		[STR_ACK_NOT_DELIVERED] = "Ack not delivered",
		[STR_OVER_CAPACITY] = "Over capacity",
		[STR_CHECKING] = "Checking…",
		[STR_NONE_AMONG] = "No breached complaints among",
		[STR_PARTIAL] = "Partial",
		[STR_HELD] = "held",
		[STR_ANNOUNCED] = "announced",
		[STR_OWN_LIMIT] = "(the board's limit: limits.max_complaints)",
		[STR_DECLARE] = "Declare crisis",
		[STR_END_CRISIS] = "End crisis",
		[STR_WAIT] = "Wait",
	},
	[LANG_HE] = {
		[STR_OPEN] = "פתוחות",
		[STR_BREACHED] = "חריגות",
		[STR_AT_RISK] = "בסיכון",
		[STR_PAUSED] = "מושהות",
		[STR_OLDEST_WAIT] = "ההמתנה הארוכה",
		[STR_NEXT_DUE] = "היעד הבא",
		[STR_HEALTHY] = "תקין",
		[STR_LIVE] = "מחובר",
		[STR_NOT_LIVE] = "אין נתונים חיים",
		[STR_CONNECTING] = "מתחבר",
		[STR_BREACH_LIST] = "חריגות מזמן המענה",
		[STR_AT_RISK_LIST] = "יעד קרוב",
		[STR_NO_BREACHES] = "אין תלונות בחריגה",
		[STR_ATTAINMENT] = "בזמן היום",
		[STR_CRISIS] = "מצב משבר",
		[STR_PLAYBOOK] = "מה עושים",
		[STR_CONTACTS] = "אנשי קשר",
		[STR_OVERDUE] = "באיחור",
		[STR_DUE_IN] = "יעד בעוד",
		[STR_UNASSIGNED] = "לא משויך",
		[STR_REJECTED] = "הודעות שנדחו",
		[STR_MORE] = "נוספות",
		[STR_VIP] = "VIP",
		[STR_HIGH] = "דחוף",
		[STR_SINCE] = "מאז",
		[STR_WHAT_BREACH] = "חריגה",
		[STR_WHAT_VIP_BREACH] = "חריגת VIP",
		[STR_WHAT_FLOOD] = "הצפה",
		[STR_WHAT_LIMIT] = "חריגת סף",
		[STR_WHAT_CRISIS] = "משבר",
		[STR_ALARM_CRISIS] = "משבר",
		[STR_ALARM_FLOOD] = "הצפת חריגות",
		[STR_ALARM_OPEN] = "יותר מדי פתוחות",
		[STR_ALARM_BREACHED] = "יותר מדי חריגות",
		[STR_ALARM_WAIT] = "המתנה ארוכה",
		[STR_ALARM_BREACH] = "חריגה",
		[STR_ACKED_BY] = "אושרה על ידי",
		[STR_ESCALATED] = "הוסלמה",
		[STR_CLEARED] = "נסגרה",
		[STR_ACKNOWLEDGE] = "אישור התראה",
		[STR_ENTER_PIN] = "הקישו קוד",
		[STR_WRONG_PIN] = "קוד שגוי",
		[STR_LOCKED] = "נעול, נסו שוב בעוד",
		[STR_CANCEL] = "ביטול",
		[STR_OK] = "אישור",
		[STR_NO_LEADS] = "לא הוגדרו ראשי משמרת",
		[STR_INCOMPLETE] = "לא שלם",
		[STR_SHOWING] = "מוצגות",
		[STR_OF] = "מתוך",
		[STR_COMPLAINTS] = "פניות",
		[STR_TIMERS] = "טיימרי SLA",
		[STR_QUEUE_LIMIT] = "(מגבלת התור בברוקר?)",
		[STR_FEED] = "הזנה",
		[STR_SILENT_SINCE] = "שותקת מאז",
		[STR_OFFLINE] = "מנותקת",
		[STR_UNTIL] = ", עד",
		[STR_ALARM_SURGE] = "גל פניות",
		[STR_DRILL] = "תרגיל",
		[STR_PUBLIC] = "ציבורי",
		[STR_NO_STEP] = "אף צעד לא בוצע",
		[STR_DONE] = "בוצעו",
		[STR_ACKS_NOT_DURABLE] = "אישורים לא נשמרים",
		[STR_ACK_NOT_DELIVERED] = "אישור לא נמסר",
		[STR_OVER_CAPACITY] = "מעבר לקיבולת",
		[STR_CHECKING] = "בודק…",
		[STR_NONE_AMONG] = "אין תלונות בחריגה מבין",
		[STR_PARTIAL] = "חלקי",
		[STR_HELD] = "שבלוח",
		[STR_ANNOUNCED] = "הוכרזו",
		[STR_OWN_LIMIT] = "(מגבלת הלוח: limits.max_complaints)",
		[STR_DECLARE] = "הכרזה על משבר",
		[STR_END_CRISIS] = "סיום משבר",
		[STR_WAIT] = "המתנה",
	},
	[LANG_FA] = {
		[STR_OPEN] = "باز",
		[STR_BREACHED] = "عقب‌افتاده",
		[STR_AT_RISK] = "در خطر",
		[STR_PAUSED] = "متوقف",
		[STR_OLDEST_WAIT] = "بیشترین انتظار",
		[STR_NEXT_DUE] = "سررسید بعدی",
		[STR_HEALTHY] = "خوب",
		[STR_LIVE] = "برخط",
		[STR_NOT_LIVE] = "داده زنده نیست",
		[STR_CONNECTING] = "در حال اتصال",
		[STR_BREACH_LIST] = "پاسخ‌های عقب‌افتاده",
		[STR_AT_RISK_LIST] = "سررسید نزدیک",
		[STR_NO_BREACHES] = "شکایت عقب‌افتاده‌ای نیست",
		[STR_ATTAINMENT] = "به‌موقع امروز",
		[STR_CRISIS] = "بحران",
		[STR_PLAYBOOK] = "اقدام‌ها",
		[STR_CONTACTS] = "تماس‌ها",
		[STR_OVERDUE] = "تأخیر",
		[STR_DUE_IN] = "سررسید تا",
		[STR_UNASSIGNED] = "بدون مسئول",
		[STR_REJECTED] = "پیام‌های ردشده",
		[STR_MORE] = "دیگر",
		[STR_VIP] = "ویژه",
		[STR_HIGH] = "فوری",
		[STR_SINCE] = "از",
		[STR_WHAT_BREACH] = "تأخیر",
		[STR_WHAT_VIP_BREACH] = "تأخیر ویژه",
		[STR_WHAT_FLOOD] = "موج",
		[STR_WHAT_LIMIT] = "عبور از حد",
		[STR_WHAT_CRISIS] = "بحران",
		[STR_ALARM_CRISIS] = "بحران",
		[STR_ALARM_FLOOD] = "موج تأخیرها",
		[STR_ALARM_OPEN] = "باز بیش از حد",
		[STR_ALARM_BREACHED] = "تأخیر بیش از حد",
		[STR_ALARM_WAIT] = "انتظار طولانی",
		[STR_ALARM_BREACH] = "تأخیر",
		[STR_ACKED_BY] = "تأییدشده توسط",
		[STR_ESCALATED] = "ارجاع‌شده",
		[STR_CLEARED] = "برطرف‌شده",
		[STR_ACKNOWLEDGE] = "تأیید هشدار",
		[STR_ENTER_PIN] = "رمز را وارد کنید",
		[STR_WRONG_PIN] = "رمز اشتباه است",
		[STR_LOCKED] = "قفل است؛ تلاش دوباره پس از",
		[STR_CANCEL] = "انصراف",
		[STR_OK] = "تأیید",
		[STR_NO_LEADS] = "هیچ سرپرستی تعریف نشده",
		[STR_INCOMPLETE] = "ناقص",
		[STR_SHOWING] = "نمایش",
		[STR_OF] = "از",
		[STR_COMPLAINTS] = "شکایت",
		[STR_TIMERS] = "زمان‌سنج‌های SLA",
		[STR_QUEUE_LIMIT] = "(محدودیت صف بروکر؟)",
		[STR_FEED] = "فید",
		[STR_SILENT_SINCE] = "خاموش از",
		[STR_OFFLINE] = "قطع",
		[STR_UNTIL] = "، تا",
		[STR_ALARM_SURGE] = "هجوم پیام",
		[STR_DRILL] = "تمرین",
		[STR_PUBLIC] = "عمومی",
		[STR_NO_STEP] = "هیچ گامی برداشته نشده",
		[STR_DONE] = "انجام شد",
		[STR_ACKS_NOT_DURABLE] = "تأییدها ذخیره نمی‌شوند",
		[STR_ACK_NOT_DELIVERED] = "تأیید تحویل نشد",
		[STR_OVER_CAPACITY] = "بیش از ظرفیت",
		[STR_CHECKING] = "در حال بررسی…",
		[STR_NONE_AMONG] = "شکایت عقب‌افتاده‌ای نیست در میان",
		[STR_PARTIAL] = "ناقص",
		[STR_HELD] = "موجود",
		[STR_ANNOUNCED] = "اعلام‌شده",
		[STR_OWN_LIMIT] = "(محدودیت تابلو: limits.max_complaints)",
		[STR_DECLARE] = "اعلام بحران",
		[STR_END_CRISIS] = "پایان بحران",
		[STR_WAIT] = "انتظار",
	},
};

static const char *const codes[3] = {
	[LANG_EN] = "en",
	[LANG_HE] = "he",
	[LANG_FA] = "fa",
};

const char *i18n_get(enum lang lang, enum str_id id)
{
	if ((unsigned)lang > LANG_FA)
		lang = LANG_EN;
	if ((unsigned)id >= STR_COUNT)
		return "";
	return words[lang][id];
}

bool i18n_is_rtl(enum lang lang)
{
	return lang == LANG_HE || lang == LANG_FA;
}

bool i18n_lang_from_code(const char *code, enum lang *out)
{
	if (!code)
		return false;
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		if (strcmp(code, codes[i]) == 0) {
			*out = (enum lang)i;
			return true;
		}
	}
	return false;
}

const char *i18n_lang_code(enum lang lang)
{
	if ((unsigned)lang > LANG_FA)
		return codes[LANG_EN];
	return codes[lang];
}

/* --- channels --- */

/* Brand names as people write them in each language (Hebrew and Persian
 * readers see WhatsApp and Instagram in their own script; X is just X).
 * A few other keys a producer may use map to the same row. */
static const struct {
	const char *keys[3];
	const char *name[3];
} channels[] = {
	{ { "whatsapp", "wa", NULL },
	  { "WhatsApp", "וואטסאפ", "واتس\u200cاپ" } },
	{ { "facebook", "fb", "messenger" },
	  { "Facebook", "פייסבוק", "فیس\u200cبوک" } },
	{ { "instagram", "ig", NULL },
	  { "Instagram", "אינסטגרם", "اینستاگرام" } },
	{ { "x", "twitter", NULL },
	  { "X", "X", "X" } },
	{ { "webchat", "web", "chat" },
	  { "Web chat", "צ׳אט באתר", "چت سایت" } },
	{ { "email", "e-mail", "mail" },
	  { "E-mail", "דוא״ל", "ایمیل" } },
};

const char *i18n_channel_name(enum lang lang, const char *key)
{
	if ((unsigned)lang > LANG_FA)
		lang = LANG_EN;
	if (!key)
		return NULL;
	for (size_t i = 0; i < sizeof channels / sizeof channels[0]; i++)
		for (size_t k = 0; k < 3 && channels[i].keys[k]; k++)
			if (strcmp(key, channels[i].keys[k]) == 0)
				return channels[i].name[lang];
	return NULL;
}

const char *i18n_channel_label(const struct config *cfg, const char *key,
			       char *buf, size_t size)
{
	const struct channel_conf *cc = key ? config_channel(cfg, key) : NULL;
	const char *name = i18n_channel_name(cfg->lang, key);
	if (size == 0)
		return buf;
	if (cc && cc->name[0]) {
		snprintf(buf, size, "%s", cc->name); /* as the site wrote it */
		return buf;
	}
	snprintf(buf, size, "%s", name ? name : key ? key : "");
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	return buf;
}

/* --- digits --- */

uint32_t i18n_digit_zero(enum lang lang, enum digits digits)
{
	return lang == LANG_FA && digits == DIGITS_NATIVE ? 0x06f0 : '0';
}

int i18n_digit_value(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp = u[0];
	*len = 1;
	if ((u[0] & 0xe0) == 0xc0 && (u[1] & 0xc0) == 0x80) { /* the digits are 2 bytes */
		cp = (uint32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f);
		*len = 2;
	}
	for (int l = LANG_EN; l <= LANG_FA; l++) {
		uint32_t zero = i18n_digit_zero((enum lang)l, DIGITS_NATIVE);
		if (cp >= zero && cp <= zero + 9)
			return (int)(cp - zero);
	}
	return -1;
}

const char *i18n_digits(enum lang lang, enum digits digits, const char *in,
			char *out, size_t size)
{
	uint32_t zero = i18n_digit_zero(lang, digits);
	size_t n = 0;
	if (size == 0)
		return out;
	for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p;) {
		char ch[4];
		size_t len = 1;
		if (*p >= '0' && *p <= '9' && zero != '0') {
			/* U+06F0..06F9: two bytes, DB B0..DB B9 */
			uint32_t c = zero + (uint32_t)(*p - '0');
			ch[0] = (char)(0xc0 | (c >> 6));
			ch[1] = (char)(0x80 | (c & 0x3f));
			len = 2;
			p++;
		} else {
			/* a whole UTF-8 character, so a cut never splits one */
			ch[0] = (char)*p++;
			while (len < 4 && (*p & 0xc0) == 0x80)
				ch[len++] = (char)*p++;
		}
		if (n + len >= size)
			break;
		memcpy(out + n, ch, len);
		n += len;
	}
	out[n] = '\0';
	return out;
}
