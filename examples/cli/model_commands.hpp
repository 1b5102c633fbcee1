// vmfa score, predict, sample, export, import and info: commands on a model file.
#pragma once

#include "common.hpp"

#include <cstdio>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace vmfa_cli {

template <typename S>
vmfa::Model<S> loadTyped(const std::string& path, int threads) {
  vmfa::Options o;
  o.numThreads = threads;
  vmfa::Model<S> m(o);
  vmfa::loadModel(m, path);
  return m;
}

template <typename S>
vmfa::npy::Points<S> loadData(const std::string& path, const vmfa::Model<S>& m, const char* where) {
  vmfa::npy::Points<S> data(path, where);
  if (data.dim() != m.dim())
    throw vmfa::InvalidArgument(std::string(where) + ": '" + path + "' has points of dimension " + std::to_string(data.dim()) +
                                " but the model has dimension " + std::to_string(m.dim()));
  return data;
}

inline const char* precisionName(int bytes) { return bytes == 4 ? "float" : "double"; }

template <typename S>
int score(const Args& a) {
  if (a.has("--per-point")) checkOutputs({{"--per-point", a.get("--per-point")}});
  const auto m = loadTyped<S>(a.positional[0], threadsOf(a));
  const auto data = loadData<S>(a.positional[1], m, "vmfa score");
  const Eigen::VectorXd ll = m.logLikelihood(data.matrix());
  requireFinite(ll, "log-likelihood", precisionName(sizeof(S)));
  if (a.has("--per-point")) vmfa::npy::write<double>(a.get("--per-point"), ll.data(), {ll.size()}, "vmfa score");
  if (a.has("--json"))
    std::printf("%s\n", Json()
                            .add("mean_log_likelihood", ll.mean())
                            .add("points", static_cast<long long>(ll.size()))
                            .add("bic", vmfa::bic(ll.sum(), ll.size(), m.numFreeParameters()))
                            .add("aic", vmfa::aic(ll.sum(), m.numFreeParameters()))
                            .str()
                            .c_str());
  else
    std::printf("%.10g\n", ll.mean());
  return 0;
}

/// FILE of --proba-top with '.npy' replaced by '_components.npy'.
inline std::string componentsPath(std::string proba) {
  if (proba.size() > 4 && proba.compare(proba.size() - 4, 4, ".npy") == 0) proba.resize(proba.size() - 4);
  return proba + "_components.npy";
}

template <typename S>
int predict(const Args& a) {
  std::vector<std::pair<std::string, std::string>> outputs = {{"-o", a.get("-o")}};
  const bool proba = a.has("--proba-top");
  if (proba) {
    const auto& v = a.flags.at("--proba-top");
    outputs.emplace_back("--proba-top", v[1]);
    outputs.emplace_back("--proba-top (components)", componentsPath(v[1]));
  }
  checkOutputs(outputs);
  const auto m = loadTyped<S>(a.positional[0], threadsOf(a));
  const auto data = loadData<S>(a.positional[1], m, "vmfa predict");
  const Index k = proba ? toInt("--proba-top", a.flags.at("--proba-top")[0], 1, m.numComponents()) : 1;
  // one pass: the labels are the first of the k most probable components
  const auto top = m.topResponsibilities(data.matrix(), k);
  const Eigen::MatrixXd prob = top.prob.template cast<double>();  // k x N column-major = N x k C-order
  requireFinite(prob.row(0).transpose(), "largest posterior", precisionName(sizeof(S)));
  std::vector<std::int64_t> labels(static_cast<std::size_t>(top.index.cols()));
  for (Index n = 0; n < top.index.cols(); ++n) labels[static_cast<std::size_t>(n)] = top.index(0, n);
  vmfa::detail::OutputFiles files("vmfa predict");
  files.add(a.get("-o"), vmfa::npy::encode<std::int64_t>(labels.data(), {top.index.cols()}));
  if (proba) {
    const std::vector<std::int64_t> comps(top.index.data(), top.index.data() + top.index.size());
    files.add(outputs[1].second, vmfa::npy::encode<double>(prob.data(), {prob.cols(), prob.rows()}));
    files.add(outputs[2].second, vmfa::npy::encode<std::int64_t>(comps.data(), {prob.cols(), prob.rows()}));
  }
  files.commit();
  return 0;
}

inline int info(const Args& a) {
  const vmfa::Model<double> m = loadTyped<double>(a.positional[0], 0);  // checks the whole file
  const vmfa::ModelFileInfo f = vmfa::readModelFileInfo(a.positional[0]);
  const double stored = static_cast<double>(m.numComponents()) * (1.0 + static_cast<double>(m.dim()) * (m.latentDim() + 2.0));
  struct stat st {};
  ::stat(a.positional[0].c_str(), &st);
  const char* precision = f.scalarBytes == 4 ? "float" : "double";
  if (a.has("--json")) {
    Json j;
    j.add("format_version", static_cast<long long>(f.version)).add("precision", precision);
    j.add("components", static_cast<long long>(f.numComponents)).add("dimension", static_cast<long long>(f.dim));
    j.add("latent_dimension", static_cast<long long>(f.latentDim)).add("shared_noise", f.sharedNoise);
    j.add("stored_values", stored).add("free_parameters", m.numFreeParameters()).add("bytes", static_cast<long long>(st.st_size));
    std::printf("%s\n", j.str().c_str());
  } else {
    std::printf("vmfa model file, format version %u, %s\n", f.version, precision);
    std::printf("components C = %lld, dimension D = %lld, latent dimension H = %lld, %s noise\n",
                static_cast<long long>(f.numComponents), static_cast<long long>(f.dim), static_cast<long long>(f.latentDim),
                f.sharedNoise ? "shared" : "per-component");
    std::printf("%.0f stored values, %.0f free parameters, %lld bytes\n", stored, m.numFreeParameters(),
                static_cast<long long>(st.st_size));
  }
  return 0;
}

template <typename S>
int sample(const Args& a) {
  checkOutputs({{"-o", a.get("-o")}});
  const long long n = toInt("-n", a.get("-n"), 0, 1LL << 40);
  const auto m = loadTyped<S>(a.positional[0], 0);
  const double bytes = static_cast<double>(n) * static_cast<double>(m.dim()) * sizeof(S);
  const double memory = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
  if (bytes > memory) {
    char msg[160];
    std::snprintf(msg, sizeof msg, "-n %lld points of dimension %lld need %.3g GB, more than this machine's memory (%.3g GB)",
                  n, static_cast<long long>(m.dim()), bytes / 1e9, memory / 1e9);
    throw std::runtime_error(msg);
  }
  vmfa::npy::writePoints(a.get("-o"), m.sample(n, seedOf(a)).points);
  return 0;
}

template <typename S>
int exportModel(const Args& a) {
  const std::string dir = a.positional[1];
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 ? !S_ISDIR(st.st_mode) : ::mkdir(dir.c_str(), 0755) != 0)
    throw UsageError("DIR '" + dir + "' is not a folder and cannot be created");
  std::vector<std::pair<std::string, std::string>> outputs;
  for (const char* f : {"weights.npy", "means.npy", "loadings.npy", "noise.npy"}) outputs.emplace_back("DIR", dir + "/" + f);
  checkOutputs(outputs);
  vmfa::exportParameters(loadTyped<S>(a.positional[0], 0).parameters(), dir);
  return 0;
}

template <typename S>
int importModel(const Args& a) {
  checkOutputs({{"-o", a.get("-o")}});
  vmfa::Model<S> m;
  m.setParameters(vmfa::importParameters<S>(a.positional[0]));
  m.options().sharedNoise = a.has("--shared-noise");
  vmfa::saveModel(m, a.get("-o"));
  return 0;
}

}  // namespace vmfa_cli
