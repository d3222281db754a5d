/* paths.c - see paths.h. */
#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef WB_ASSET_DIR
#define WB_ASSET_DIR "assets"
#endif
#ifndef WB_DATA_DIR
#define WB_DATA_DIR "/usr/local/share/wallboard"
#endif

bool paths_exe_dir(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return (size_t)snprintf(out, size, "%s", exe) < size;
}

static bool has_fonts(const char *dir)
{
	char p[PATH_MAX];
	return (size_t)snprintf(p, sizeof p, "%s/fonts", dir) < sizeof p &&
	       access(p, R_OK | X_OK) == 0;
}

bool paths_asset_dir(char *out, size_t size)
{
	char exe[PATH_MAX], cand[PATH_MAX];
	if (paths_exe_dir(exe, sizeof exe) &&
	    (size_t)snprintf(cand, sizeof cand, "%s/../share/wallboard", exe) < sizeof cand &&
	    has_fonts(cand))
		return (size_t)snprintf(out, size, "%s", cand) < size;
	if (has_fonts(WB_DATA_DIR))
		return (size_t)snprintf(out, size, "%s", WB_DATA_DIR) < size;
	return (size_t)snprintf(out, size, "%s", WB_ASSET_DIR) < size;
}
