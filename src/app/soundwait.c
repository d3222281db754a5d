/* soundwait.c - when the main loop may wait on SDL's audio threads. */
#include "soundwait.h"

bool soundwait_may(const struct soundwait_in *in)
{
	if (in->backlog)
		return false;
	if (in->live)
		return in->drew && in->synced && !in->replaying;
	if (in->replaying)
		return in->run_ms >= SOUNDWAIT_LATE_MS && in->replay_ms >= SOUNDWAIT_LATE_MS;
	if (!in->connected && in->held)
		return true;
	return in->run_ms >= SOUNDWAIT_LATE_MS;
}
