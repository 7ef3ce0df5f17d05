#ifndef ADLAB_CYAML_SHIM_H
#define ADLAB_CYAML_SHIM_H

#include <yaml.h>

#endif
