// The distributed fit's logic without MPI: simulated processes (tests/local_collective.hpp) fit
// their shards together and must give the one-process model, combine a user policy's own
// statistics, turn an error on one process into the same error on every process, and stop
// together, resumably, when one of them is interrupted.
#include "catch.hpp"
#include "local_collective.hpp"
#include "support.hpp"

#include <atomic>
#include <string>

using namespace vmfa_test;
using vmfa::Index;

namespace {

/// Shard r of P of N points: [N·r/P, N·(r+1)/P), with the last process holding none when P > 2
/// (an empty shard must work).
std::pair<Index, Index> simulatedShard(Index N, int r, int P) {
  const int holders = P > 2 ? P - 1 : P;
  if (r >= holders) return {N, 0};
  const Index begin = N * r / holders, end = N * (r + 1) / holders;
  return {begin, end - begin};
}

/// Hard counts per component: the statistics of `CountingEStep`, combinable across processes.
struct HardCounts {
  std::vector<std::int64_t> n;
  HardCounts& operator+=(const HardCounts& o) {
    if (n.size() < o.n.size()) n.resize(o.n.size(), 0);
    for (std::size_t c = 0; c < o.n.size(); ++c) n[c] += o.n[c];
    return *this;
  }
  std::vector<char> toBytes() const {
    std::vector<char> out(n.size() * sizeof(std::int64_t));
    if (!n.empty()) std::memcpy(out.data(), n.data(), out.size());
    return out;
  }
  static HardCounts fromBytes(const std::vector<char>& bytes) {
    HardCounts h;
    h.n.resize(bytes.size() / sizeof(std::int64_t));
    if (!h.n.empty()) std::memcpy(h.n.data(), bytes.data(), h.n.size() * sizeof(std::int64_t));
    return h;
  }
};

/// A user E-step: exact EM's, plus the number of points each component explains best, combined
/// over all processes before `finish` (which keeps it).
template <typename S>
class CountingEStep {
 public:
  using Scalar = S;
  struct Options {};
  using Statistics = HardCounts;

  CountingEStep() = default;
  explicit CountingEStep(const Options&) {}
  void checkOptions(Index C, const char* where) const { inner_.checkOptions(C, where); }
  void describe(vmfa::OptionList&) const {}
  int maxWarmupIterations() const { return 0; }
  Index truncation(Index C) const { return inner_.truncation(C); }
  void initialize(const vmfa::FitContext<S>& ctx, const vmfa::Parameters<S>& p, const std::vector<Index>& seeds,
                  vmfa::Responsibilities<S>& resp) {
    inner_.initialize(ctx, p, seeds, resp);
  }
  vmfa::EStepSummary run(const vmfa::FitContext<S>& ctx, int it, const vmfa::Parameters<S>& p,
                         const vmfa::ComponentCache<S>& cache, vmfa::Responsibilities<S>& resp, vmfa::PointResults& points,
                         Statistics& stats) {
    vmfa::NoStatistics none;
    const auto summary = inner_.run(ctx, it, p, cache, resp, points, none);
    stats.n.assign(static_cast<std::size_t>(p.numComponents()), 0);
    for (auto c : points.best) ++stats.n[static_cast<std::size_t>(c)];
    return summary;
  }
  void finish(const vmfa::FitContext<S>&, int, const vmfa::Parameters<S>&, const Statistics& stats) { counts = stats.n; }
  vmfa::PolicyState saveState() const { return inner_.saveState(); }
  void restoreState(Index C, const vmfa::PolicyState& state, const char* where) { inner_.restoreState(C, state, where); }

  std::vector<std::int64_t> counts;  // of the last E-step, over all processes

 private:
  vmfa::ExactEStep<S> inner_;
};

template <typename A, typename B>
double relativeDifference(const A& a, const B& b) {
  return (a.template cast<double>() - b.template cast<double>()).cwiseAbs().maxCoeff() /
         std::max(1e-300, b.template cast<double>().cwiseAbs().maxCoeff());
}

/// Fits `make(o)` on all of X in one process and on shards over P simulated processes; every
/// process must hold the one-process model (to `tol`); `also(model)` runs further checks on each.
template <typename S, typename Make, typename Also>
void compareSimulated(int P, const vmfa::Options& o, const vmfa::Matrix<S>& X, double tol, Make make, Also also) {
  auto one = make(o);
  const vmfa::FitResult r1 = one.fit(X);
  LocalGroup group(P);
  std::vector<vmfa::FitResult> results(static_cast<std::size_t>(P));
  std::vector<decltype(make(o))> models;
  for (int r = 0; r < P; ++r) models.push_back(make(o));
  group.run([&](int r, std::shared_ptr<const vmfa::Collective> all) {
    const auto shard = simulatedShard(X.cols(), r, P);
    auto& m = models[static_cast<std::size_t>(r)];
    m.distribute(all);
    results[static_cast<std::size_t>(r)] = m.fit(vmfa::Matrix<S>(X.middleCols(shard.first, shard.second)));
  });
  for (int r = 0; r < P; ++r) {
    INFO("simulated process " << r << " of " << P);
    const auto& m = models[static_cast<std::size_t>(r)];
    const auto& rp = results[static_cast<std::size_t>(r)];
    CHECK(rp.status == r1.status);
    CHECK(rp.iterations == r1.iterations);
    CHECK(std::abs(rp.freeEnergy - r1.freeEnergy) <= tol * std::abs(r1.freeEnergy));
    CHECK(relativeDifference(m.parameters().means, one.parameters().means) <= tol);
    CHECK(relativeDifference(m.parameters().loadings, one.parameters().loadings) <= tol);
    CHECK(relativeDifference(m.parameters().noise, one.parameters().noise) <= tol);
    CHECK(rp.logJointEvaluations == r1.logJointEvaluations);
    also(m, one);
  }
}

vmfa::Options simulatedOptions() {
  vmfa::Options o = fitOptions(10, 2, 6, 0.0);
  o.numThreads = 1;
  return o;
}

}  // namespace

TEMPLATE_TEST_CASE("simulated processes fit the one-process model (v-MFA, exact EM)", "[distributed]", float, double) {
  using S = TestType;
  const double tol = sizeof(S) == 8 ? 1e-9 : 2e-3;
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(10, 7, 2, 91, 4.0), 1500, 92);
  const auto nothing = [](const auto&, const auto&) {};
  for (int P : {2, 3}) {
    compareSimulated<S>(P, simulatedOptions(), X, tol, [](const vmfa::Options& o) { return vmfa::Model<S>(o); }, nothing);
    compareSimulated<S>(P, simulatedOptions(), X, tol, [](const vmfa::Options& o) { return vmfa::ExactModel<S>(o); }, nothing);
  }
}

TEMPLATE_TEST_CASE("a user policy's own statistics are combined over the simulated processes", "[distributed][policy]", float,
                   double) {
  using S = TestType;
  using CountingModel = vmfa::Model<S, CountingEStep<S>, vmfa::ClosedFormMStep<S>>;
  const double tol = sizeof(S) == 8 ? 1e-9 : 2e-3;
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(10, 7, 2, 93, 4.0), 1200, 94);
  compareSimulated<S>(3, simulatedOptions(), X, tol, [](const vmfa::Options& o) { return CountingModel(o); },
                      [&](const CountingModel& m, const CountingModel& one) {
                        std::int64_t total = 0;
                        for (auto n : m.estep().counts) total += n;
                        CHECK(total == X.cols());  // every process's points, not only its own
                        CHECK(m.estep().counts == one.estep().counts);
                      });
}

TEMPLATE_TEST_CASE("an error on one simulated process is the same error on every process", "[distributed][errors]", float,
                   double) {
  using S = TestType;
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(4, 5, 1, 95, 4.0), 600, 96);
  const int P = 3;
  LocalGroup group(P);
  std::vector<std::string> errors(static_cast<std::size_t>(P));
  // a progress callback that throws on process 1 at iteration 2; a differing option on process 2
  for (int kind = 0; kind < 2; ++kind) {
    group.run([&](int r, std::shared_ptr<const vmfa::Collective> all) {
      vmfa::Options o = simulatedOptions();
      o.numComponents = 4;
      o.latentDim = 1;
      if (kind == 0)
        o.callback = [r](const vmfa::IterationStats& s) {
          if (r == 1 && s.iteration == 2) throw std::runtime_error("disk full");
          return true;
        };
      if (kind == 1 && r == 2) o.minimumNoise = 1e-6;
      vmfa::Model<S> m(o);
      m.distribute(all);
      const auto shard = simulatedShard(X.cols(), r, P);
      try {
        m.fit(vmfa::Matrix<S>(X.middleCols(shard.first, shard.second)));
        errors[static_cast<std::size_t>(r)] = "(none)";
      } catch (const vmfa::AgreedFailure&) {
        try {
          throw;
        } catch (const std::exception& e) {
          errors[static_cast<std::size_t>(r)] = e.what();
        }
      }
    });
    CAPTURE(errors[0]);
    CHECK(errors[0] == (kind == 0 ? "disk full (on process 1 of 3)"
                                  : "vmfa::Model::fit: process 2 has other options than process 0: minimumNoise = 9.9999999999999995e-07 "
                                    "against minimumNoise = 0 (every option must be the same on every process)"));
    for (const auto& e : errors) CHECK(e == errors[0]);
  }
}

TEMPLATE_TEST_CASE("an interrupt on one simulated process stops every process, and their checkpoints resume bit for bit",
                   "[distributed][faults][interrupt]", float, double) {
  using S = TestType;
  const int P = 2;
  const vmfa::Matrix<S> X = sampleFrom(randomMfa<S>(8, 8, 2, 5, 2.0), 6000, 6);
  vmfa::Options o = simulatedOptions();
  o.numComponents = 8;
  o.blockSize = 64;  // many blocks per M-step
  typename vmfa::TruncatedEStep<S>::Options eo;
  eo.chunkSize = 500;
  eo.maxWarmupIterations = 0;
  struct Run {
    std::vector<vmfa::FitResult> results = std::vector<vmfa::FitResult>(P);
    std::vector<vmfa::Parameters<S>> parameters = std::vector<vmfa::Parameters<S>>(P);
    std::vector<vmfa::FitCheckpoint<S>> checkpoints = std::vector<vmfa::FitCheckpoint<S>>(P);
  };
  // P processes fit their shards (resuming from `from` when given); process 0 with `first`, the
  // others with `o` (so only process 0 has an interrupt check and the probes)
  const auto run = [&](const vmfa::Options& first, const std::vector<vmfa::FitCheckpoint<S>>* from) {
    Run out;
    LocalGroup group(P);
    group.run([&](int r, std::shared_ptr<const vmfa::Collective> all) {
      vmfa::Model<S> m(r == 0 ? first : o, vmfa::TruncatedEStep<S>(eo));
      m.distribute(all);
      m.setCheckpointHandler(0, [&](const vmfa::FitCheckpoint<S>& cp) { out.checkpoints[static_cast<std::size_t>(r)] = cp; });
      const auto shard = simulatedShard(X.cols(), r, P);
      const vmfa::Matrix<S> mine = X.middleCols(shard.first, shard.second);
      out.results[static_cast<std::size_t>(r)] = from ? m.resume(mine, (*from)[static_cast<std::size_t>(r)]) : m.fit(mine);
      out.parameters[static_cast<std::size_t>(r)] = m.parameters();
    });
    return out;
  };
  const Run full = run(o, nullptr);
  // process 0's polls in iteration 3 until its E-step ends, counted on a fit that is never stopped
  std::atomic<int> completed{0}, polls{0}, pollsAtEStepEnd{-1};
  vmfa::Options probe = o;
  probe.callback = [&](const vmfa::IterationStats& s) {
    completed = s.iteration + 1;
    return true;
  };
  probe.stepCallback = [&](Index done, Index total) {
    if (completed == 3 && done == total && pollsAtEStepEnd < 0) pollsAtEStepEnd = polls.load();
  };
  probe.interrupt = [&] {
    if (completed == 3) ++polls;
    return false;
  };
  run(probe, nullptr);
  REQUIRE(pollsAtEStepEnd > 2);
  // stopped inside the E-step (at its first chunk) and inside the M-step (at its first poll)
  for (const int k : {2, pollsAtEStepEnd.load() + 2}) {
    const bool inEStep = k == 2;
    INFO((inEStep ? "E-step" : "M-step"));
    completed = 0;
    polls = 0;
    probe.interrupt = [&, k] { return completed == 3 && ++polls >= k; };
    const Run stopped = run(probe, nullptr);
    for (int r = 0; r < P; ++r) {
      INFO("simulated process " << r);
      const auto& res = stopped.results[static_cast<std::size_t>(r)];
      CHECK(res.status == vmfa::FitStatus::StoppedByCallback);
      CHECK(res.message == std::string("interrupted during the ") + (inEStep ? "E" : "M") + "-step of iteration 3");
      CHECK(res.history.size() == 3u);
      const auto& cp = stopped.checkpoints[static_cast<std::size_t>(r)];
      CHECK(cp.nextIteration == 3);
      CHECK(static_cast<Index>(cp.activeSets.cols()) == simulatedShard(X.cols(), r, P).second);
    }
    // resumed on every process from its own checkpoint, the fit is the uninterrupted one
    const Run resumed = run(o, &stopped.checkpoints);
    for (int r = 0; r < P; ++r) {
      INFO("simulated process " << r);
      const auto& a = resumed.parameters[static_cast<std::size_t>(r)];
      const auto& b = full.parameters[static_cast<std::size_t>(r)];
      CHECK(resumed.results[static_cast<std::size_t>(r)].freeEnergy == full.results[static_cast<std::size_t>(r)].freeEnergy);
      CHECK((a.means.array() == b.means.array()).all());
      CHECK((a.loadings.array() == b.loadings.array()).all());
      CHECK((a.noise.array() == b.noise.array()).all());
      CHECK((a.weights.array() == b.weights.array()).all());
    }
  }
}
