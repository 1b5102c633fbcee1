/// \file vmfa.hpp
/// \brief vmfa: mixtures of factor analysers fitted by exact EM or by sublinear truncated
/// variational EM. Include this header for everything.
#pragma once

#include "denoise.hpp"
#include "errors.hpp"
#include "estep.hpp"
#include "graph.hpp"
#include "image.hpp"
#include "init.hpp"
#include "io.hpp"
#include "model.hpp"
#include "mstep.hpp"
#include "npy.hpp"
#include "options.hpp"
#include "parameters.hpp"
#include "progress.hpp"
#include "responsibilities.hpp"
#include "version.hpp"
