/* mqttwire.c - see mqttwire.h. */
#include "mqttwire.h"

#include <string.h>

/* The remaining length as MQTT writes it: 7 bits a byte, low first. */
static size_t varint_size(size_t v)
{
	size_t n = 1;
	while (v >= 128) {
		v /= 128;
		n++;
	}
	return n;
}

static uint8_t *put_varint(uint8_t *p, size_t v)
{
	do {
		uint8_t b = v % 128;
		v /= 128;
		*p++ = v ? (uint8_t)(b | 128) : b;
	} while (v);
	return p;
}

static uint8_t *put_u16(uint8_t *p, size_t v)
{
	*p++ = (uint8_t)(v >> 8);
	*p++ = (uint8_t)v;
	return p;
}

static uint8_t *put_str(uint8_t *p, const void *s, size_t len)
{
	p = put_u16(p, len);
	memcpy(p, s, len);
	return p + len;
}

static size_t publish_remaining(size_t topic_len, size_t payload_len, int qos)
{
	return 2 + topic_len + (qos > 0 ? 2 : 0) + payload_len;
}

size_t mqttwire_publish_size(size_t topic_len, size_t payload_len, int qos)
{
	if (topic_len > 65535 || payload_len > MQTTWIRE_MAX_REMAINING)
		return 0;
	size_t rem = publish_remaining(topic_len, payload_len, qos);
	return rem > MQTTWIRE_MAX_REMAINING ? 0 : 1 + varint_size(rem) + rem;
}

size_t mqttwire_publish(uint8_t *out, size_t cap, const char *topic, size_t topic_len,
			const void *payload, size_t payload_len, int qos, bool retain,
			uint16_t id)
{
	size_t size = mqttwire_publish_size(topic_len, payload_len, qos);
	if (!size || size > cap || qos < 0 || qos > 1)
		return 0;
	uint8_t *p = out;
	*p++ = (uint8_t)(MQTTWIRE_PUBLISH << 4 | qos << 1 | (retain ? 1 : 0));
	p = put_varint(p, publish_remaining(topic_len, payload_len, qos));
	p = put_str(p, topic, topic_len);
	if (qos > 0)
		p = put_u16(p, id);
	if (payload_len)
		memcpy(p, payload, payload_len);
	return size;
}

size_t mqttwire_connect(uint8_t *out, size_t cap, const char *client_id,
			uint16_t keepalive_s)
{
	size_t id_len = strlen(client_id);
	/* "MQTT", level, flags, keepalive, the client id */
	size_t rem = 6 + 1 + 1 + 2 + 2 + id_len;
	size_t size = 1 + varint_size(rem) + rem;
	if (id_len > 65535 || size > cap)
		return 0;
	uint8_t *p = out;
	*p++ = MQTTWIRE_CONNECT << 4;
	p = put_varint(p, rem);
	p = put_str(p, "MQTT", 4);
	*p++ = 4;     /* protocol level: 3.1.1 */
	*p++ = 0x02;  /* clean session */
	p = put_u16(p, keepalive_s);
	put_str(p, client_id, id_len);
	return size;
}

size_t mqttwire_disconnect(uint8_t *out, size_t cap)
{
	if (cap < 2)
		return 0;
	out[0] = MQTTWIRE_DISCONNECT << 4;
	out[1] = 0;
	return 2;
}

long mqttwire_next(const uint8_t *in, size_t len, int *type)
{
	size_t rem = 0, mult = 1;
	for (size_t i = 1; i <= 4; i++) {
		if (i >= len)
			return 0;
		rem += (size_t)(in[i] & 127) * mult;
		mult *= 128;
		if (!(in[i] & 128)) {
			if (len - 1 - i < rem)
				return 0;
			*type = in[0] >> 4;
			return (long)(1 + i + rem);
		}
	}
	return -1;
}
