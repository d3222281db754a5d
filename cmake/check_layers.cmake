# check_layers.cmake - fails when a layer includes a header it may not.
#
#   cmake -DROOT=<source dir> [-DSTAMP=<file>] -P cmake/check_layers.cmake
#
# src/core is the model: it must build and be tested without a screen or
# a broker, so it includes neither SDL nor mosquitto; src/net talks to the
# broker and draws nothing (no SDL); src/ui draws and never talks to the
# broker (no mosquitto). The include paths alone do not enforce this:
# mosquitto.h and SDL2/SDL.h sit in /usr/include, reachable from any
# target. The build runs this before compiling wbcore, wbnet and wbui.
if(NOT ROOT)
  message(FATAL_ERROR "check_layers: pass -DROOT=<source dir>")
endif()

set(sdl "SDL2/|SDL[A-Za-z0-9_]*\\.h")
set(mosquitto "mosquitto[A-Za-z0-9_]*\\.h|mqtt_protocol\\.h")
set(forbid_core "${sdl}|${mosquitto}")
set(forbid_net "${sdl}")
set(forbid_ui "${mosquitto}")

set(bad 0)
foreach(layer core net ui)
  file(GLOB files "${ROOT}/src/${layer}/*.c" "${ROOT}/src/${layer}/*.h")
  foreach(f ${files})
    file(STRINGS "${f}" hits
         REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](${forbid_${layer}})")
    foreach(hit ${hits})
      file(RELATIVE_PATH rel "${ROOT}" "${f}")
      string(STRIP "${hit}" hit)
      message(SEND_ERROR "${rel}: '${hit}': src/${layer} may not include this "
                         "header (see README, Contributing)")
      math(EXPR bad "${bad} + 1")
    endforeach()
  endforeach()
endforeach()

if(bad GREATER 0)
  message(FATAL_ERROR "check_layers: ${bad} include(s) across a layer boundary")
endif()
if(STAMP)
  file(TOUCH "${STAMP}")
endif()
