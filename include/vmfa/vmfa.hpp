/// \file vmfa.hpp
/// \brief vmfa: mixtures of factor analysers fitted by exact EM or by sublinear truncated
/// variational EM. Include this header for everything.
#pragma once

#include "checkpoint.hpp"
#include "context.hpp"
#include "denoise.hpp"
#include "errors.hpp"
#include "estep.hpp"
#include "fit.hpp"
#include "graph.hpp"
#include "groups.hpp"
#include "image.hpp"
#include "init.hpp"
#include "io.hpp"
#include "kernel.hpp"
#include "model.hpp"
#include "mstep.hpp"
#include "npy.hpp"
#include "options.hpp"
#include "parameters.hpp"
#include "policies.hpp"
#include "progress.hpp"
#include "responsibilities.hpp"
#include "truncated_estep.hpp"
#include "version.hpp"
