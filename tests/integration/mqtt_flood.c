/* mqtt_flood.c - publishes many messages fast, for integration tests.
 *
 *   mqtt_flood PORT [QOS] < LINES
 *
 * Each input line is "TOPIC PAYLOAD" (PAYLOAD may be empty: an empty
 * retained message, a removal). Every message is published retained at
 * QOS (default 1) on one connection to 127.0.0.1:PORT, as fast as the
 * broker takes them; with QoS 1 it exits 0 once the broker acknowledged
 * every one (mosquitto_pub would need one process per topic). */
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int acked;

static void on_publish(struct mosquitto *m, void *obj, int mid)
{
	(void)m;
	(void)obj;
	(void)mid;
	acked++;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: mqtt_flood PORT [QOS] < lines\n", stderr);
		return 2;
	}
	int port = atoi(argv[1]), qos = argc > 2 ? atoi(argv[2]) : 1;
	mosquitto_lib_init();
	struct mosquitto *m = mosquitto_new(NULL, true, NULL);
	if (m) {
		mosquitto_publish_callback_set(m, on_publish);
		mosquitto_int_option(m, MOSQ_OPT_SEND_MAXIMUM, 1000);
	}
	if (!m || mosquitto_connect(m, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS) {
		fputs("mqtt_flood: cannot connect\n", stderr);
		return 1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int sent = 0;
	while ((len = getline(&line, &cap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		char *sp = strchr(line, ' ');
		const char *payload = sp ? sp + 1 : "";
		if (sp)
			*sp = '\0';
		if (mosquitto_publish(m, NULL, line, (int)strlen(payload), payload, qos, true) !=
		    MOSQ_ERR_SUCCESS) {
			fprintf(stderr, "mqtt_flood: publish to %s failed\n", line);
			return 1;
		}
		sent++;
		mosquitto_loop(m, 0, 1); /* keep the socket moving */
	}
	free(line);
	while (qos > 0 && acked < sent)
		if (mosquitto_loop(m, 1000, 1) != MOSQ_ERR_SUCCESS)
			return 1;
	for (int i = 0; i < 5; i++) /* QoS 0: let the socket drain */
		mosquitto_loop(m, 10, 1);
	mosquitto_disconnect(m);
	mosquitto_destroy(m);
	mosquitto_lib_cleanup();
	return 0;
}
