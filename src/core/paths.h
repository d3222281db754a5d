/* paths.h - where an installed board finds its files.
 *
 * A package may be unpacked under any root (dpkg -x into a test folder,
 * a tarball under /opt), so the compiled-in install prefix is only a
 * fallback: the directory next to the executable comes first. */
#ifndef WALLBOARD_PATHS_H
#define WALLBOARD_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* The first of these that holds a fonts/ folder, else the last:
 *   <dir of the executable>/../share/wallboard   (installed, any root)
 *   WB_DATA_DIR                                  (compiled-in prefix)
 *   WB_ASSET_DIR                                 (the source checkout)
 * Writes it into out; false when it does not fit. */
bool paths_asset_dir(char *out, size_t size);

/* The directory of the running executable (/proc/self/exe), or false. */
bool paths_exe_dir(char *out, size_t size);

#endif
