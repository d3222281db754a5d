#!/usr/bin/env bash
# display.renderer: with "auto" a board whose OpenGL is Mesa's CPU
# rasteriser (llvmpipe, as on a machine without a GPU) takes SDL's software
# renderer instead and says so; "gpu" keeps OpenGL, "software" never asks
# for it. SDL's offscreen video driver gives an EGL context on llvmpipe
# here, like a GPU-less board; the dummy driver has no OpenGL at all.
. "$(dirname "$0")/lib.sh"

# run NAME DRIVER RENDERER: one headless frame; the log in $WORK/NAME.log.
run() {
	printf '[display]\nrenderer = %s\nwindowed = true\nwidth = 320\nheight = 240\n' "$3" \
		>"$WORK/$1.ini"
	SDL_VIDEODRIVER=$2 "$WB_BIN" --config "$WORK/$1.ini" --broker 127.0.0.1:1 \
		--assets "$WB_ASSETS" --state-dir "$WORK" --screenshot "$WORK/$1.png" \
		--screenshot-after 0.2 >"$WORK/$1.log" 2>&1
}

has() { grep -q -- "$2" "$WORK/$1.log"; }
hasnt() { ! grep -q -- "$2" "$WORK/$1.log"; }

run dummy-auto dummy auto
check "dummy, auto: the software renderer, no OpenGL to look at" \
	has dummy-auto "video driver dummy, renderer software (auto)"
check "dummy, auto: a frame was drawn" test -s "$WORK/dummy-auto.png"

run dummy-sw dummy software
check "dummy, software: says the setting chose it" \
	has dummy-sw "renderer software (display.renderer = software)"

run probe offscreen gpu
if has probe "renderer opengl on llvmpipe"; then
	check "offscreen, gpu: OpenGL kept on llvmpipe, the setting named" \
		has probe "renderer opengl on llvmpipe.*(display.renderer = gpu)"
	check "offscreen, gpu: no switch" hasnt probe "using SDL's software renderer instead"

	run gl-auto offscreen auto
	check "offscreen, auto: llvmpipe found, software taken instead" \
		has gl-auto "OpenGL is a software rasteriser (llvmpipe.*using SDL's software renderer instead"
	check "offscreen, auto: the renderer line says software and why" \
		has gl-auto "renderer software on llvmpipe.*(auto, OpenGL is a software rasteriser)"
	check "offscreen, auto: a frame was drawn" test -s "$WORK/gl-auto.png"

	run gl-sw offscreen software
	check "offscreen, software: never OpenGL" \
		has gl-sw "renderer software (display.renderer = software)"
	check "offscreen, software: no llvmpipe to replace" hasnt gl-sw "llvmpipe"
else
	# Without Mesa's EGL (scripts/deps.sh installs it) there is no
	# OpenGL to find; the dummy checks above still ran.
	echo "# no OpenGL through SDL's offscreen driver here: $(grep -m1 -o 'renderer .*' "$WORK/probe.log" || head -1 "$WORK/probe.log")"
fi

printf '[display]\nrenderer = opengl\n' >"$WORK/bad.ini"
"$WB_BIN" --config "$WORK/bad.ini" --hash-pin </dev/null >/dev/null 2>"$WORK/bad.err"; rc=$?
check "renderer = opengl: refused, exit 2" test "$rc" -eq 2
check "renderer = opengl: the choices named" grep -q "expected auto|software|gpu" "$WORK/bad.err"

finish
