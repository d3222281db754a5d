/* test_mqttwire.c - the packets mqtt_flood writes and reads, byte by byte
 * (tests/integration/mqttwire.h), against the MQTT 3.1.1 layouts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mqttwire.h"

#include "check.h"

static void test_publish(void)
{
	static const struct {
		const char *name, *topic, *payload;
		int qos;
		bool retain;
		uint16_t id;
		size_t want_len;
		uint8_t want[24];
	} rows[] = {
		{ "qos1 retained", "a/b", "xy", 1, true, 0x0102, 11,
		  { 0x33, 9, 0, 3, 'a', '/', 'b', 1, 2, 'x', 'y' } },
		{ "qos0, no id", "t", "p", 0, false, 7, 6, { 0x30, 4, 0, 1, 't', 'p' } },
		{ "empty payload: a removal", "t", "", 1, true, 65535, 7,
		  { 0x33, 5, 0, 1, 't', 0xff, 0xff } },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		check_ctx = rows[i].name;
		uint8_t out[64];
		size_t tl = strlen(rows[i].topic), pl = strlen(rows[i].payload);
		CHECK_EQ(mqttwire_publish_size(tl, pl, rows[i].qos), rows[i].want_len);
		size_t n = mqttwire_publish(out, sizeof out, rows[i].topic, tl, rows[i].payload, pl,
					    rows[i].qos, rows[i].retain, rows[i].id);
		CHECK_EQ(n, rows[i].want_len);
		CHECK(memcmp(out, rows[i].want, rows[i].want_len) == 0);
		/* one byte short: nothing written */
		CHECK_EQ(mqttwire_publish(out, n - 1, rows[i].topic, tl, rows[i].payload, pl,
					  rows[i].qos, rows[i].retain, rows[i].id), 0);
		int type = 0;
		CHECK_EQ(mqttwire_next(out, n, &type), (long)n);
		CHECK_EQ(type, MQTTWIRE_PUBLISH);
	}
	check_ctx = "";
}

/* The remaining length's bytes at the edges of each length (MQTT 3.1.1,
 * 2.2.3): 127 | 128 | 16383 | 16384 | 2097151 | 2097152. */
static void test_lengths(void)
{
	static const struct {
		size_t payload;  /* with topic "t" at QoS 1: remaining = payload + 5 */
		size_t header;   /* fixed header bytes */
		uint8_t len[4];
	} rows[] = {
		{ 122, 2, { 0x7f } },
		{ 123, 3, { 0x80, 0x01 } },
		{ 16378, 3, { 0xff, 0x7f } },
		{ 16379, 4, { 0x80, 0x80, 0x01 } },
		{ 2097146, 4, { 0xff, 0xff, 0x7f } },
		{ 2097147, 5, { 0x80, 0x80, 0x80, 0x01 } },
	};
	size_t cap = 2097147 + 16;
	uint8_t *out = malloc(cap), *payload = calloc(1, cap);
	if (!out || !payload) {
		CHECK(!"out of memory");
		free(out);
		free(payload);
		return;
	}
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t n = mqttwire_publish(out, cap, "t", 1, payload, rows[i].payload, 1, true, 1);
		checkf(n == rows[i].header + rows[i].payload + 5, "payload %zu: %zu bytes",
		       rows[i].payload, n);
		checkf(memcmp(out + 1, rows[i].len, rows[i].header - 1) == 0,
		       "payload %zu: the length bytes", rows[i].payload);
		int type = 0;
		checkf(mqttwire_next(out, n, &type) == (long)n, "payload %zu: read back",
		       rows[i].payload);
		checkf(mqttwire_next(out, n - 1, &type) == 0, "payload %zu: one short",
		       rows[i].payload);
	}
	free(out);
	free(payload);
	/* what MQTT cannot carry */
	CHECK_EQ(mqttwire_publish_size(65536, 0, 1), 0);
	CHECK_EQ(mqttwire_publish_size(1, MQTTWIRE_MAX_REMAINING, 1), 0);
	CHECK(mqttwire_publish_size(1, MQTTWIRE_MAX_REMAINING - 5, 1) > 0);
}

static void test_control(void)
{
	uint8_t out[64];
	static const uint8_t want[] = { 0x10, 16, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60,
					0, 4, 'f', 'l', 'o', 'o' };
	size_t n = mqttwire_connect(out, sizeof out, "floo", 60);
	CHECK_EQ(n, sizeof want);
	CHECK(memcmp(out, want, sizeof want) == 0);
	CHECK_EQ(mqttwire_connect(out, 10, "floo", 60), 0);
	CHECK_EQ(mqttwire_disconnect(out, sizeof out), 2);
	CHECK(out[0] == 0xe0 && out[1] == 0);
	CHECK_EQ(mqttwire_disconnect(out, 1), 0);
}

/* Reading a stream of acknowledgements: whole packets only. */
static void test_next(void)
{
	static const struct {
		const char *name;
		uint8_t in[8];
		size_t len;
		long want;
		int type;
	} rows[] = {
		{ "CONNACK", { 0x20, 2, 0, 0 }, 4, 4, MQTTWIRE_CONNACK },
		{ "PUBACK, then more", { 0x40, 2, 0, 1, 0x40 }, 5, 4, MQTTWIRE_PUBACK },
		{ "PUBACK cut short", { 0x40, 2, 0 }, 3, 0, 0 },
		{ "the type byte only", { 0x40 }, 1, 0, 0 },
		{ "nothing", { 0 }, 0, 0, 0 },
		{ "PINGRESP, no body", { 0xd0, 0 }, 2, 2, 13 },
		{ "length still going", { 0x30, 0x80, 0x80 }, 3, 0, 0 },
		{ "length over four bytes", { 0x30, 0x80, 0x80, 0x80, 0x80, 0x01 }, 6, -1, 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		check_ctx = rows[i].name;
		int type = 0;
		CHECK_EQ(mqttwire_next(rows[i].in, rows[i].len, &type), rows[i].want);
		if (rows[i].want > 0)
			CHECK_EQ(type, rows[i].type);
	}
	check_ctx = "";
}

int main(void)
{
	test_publish();
	test_lengths();
	test_control();
	test_next();
	return check_summary();
}
