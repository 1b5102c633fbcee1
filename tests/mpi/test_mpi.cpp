// Fits over MPI processes against the one-process fit. Run under mpirun with 1, 2 and 4 processes
// (ctest: mpi.np1, mpi.np2, mpi.np4); every process runs every test case.
#if defined(VMFA_CATCH2_V3)
#include <catch2/catch_session.hpp>
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#else
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#endif

#include "../support.hpp"

#include <vmfa/mpi.hpp>

#include <mpi.h>

using vmfa::Index;
using namespace vmfa_test;

namespace {

int rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int size() {
  int s = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

/// This process's row range of N points: uneven shards, and with 4 processes process 2 holds none.
std::pair<Index, Index> shardOf(Index N) {
  const int P = size(), r = rank();
  std::vector<Index> weight(static_cast<std::size_t>(P));
  for (int i = 0; i < P; ++i) weight[static_cast<std::size_t>(i)] = (P == 4 && i == 2) ? 0 : i + 1;
  Index total = 0;
  for (Index w : weight) total += w;
  Index begin = 0;
  for (int i = 0; i < r; ++i) begin += N * weight[static_cast<std::size_t>(i)] / total;
  Index end = r == P - 1 ? N : begin + N * weight[static_cast<std::size_t>(r)] / total;
  return {begin, end - begin};
}

template <typename A, typename B>
double maxRel(const A& a, const B& b) {
  return (a.template cast<double>() - b.template cast<double>()).cwiseAbs().maxCoeff() /
         std::max(1e-300, b.template cast<double>().cwiseAbs().maxCoeff());
}

template <typename ModelT, typename S>
void compareWithOneProcess(vmfa::Options o, const vmfa::Matrix<S>& X, const Eigen::VectorXd& w, double tol) {
  ModelT one(o);
  const auto r1 = w.size() ? one.fit(X, w) : one.fit(X);
  const auto shard = shardOf(X.cols());
  const vmfa::Matrix<S> mine = X.middleCols(shard.first, shard.second);
  ModelT many(o);
  const auto rp = w.size() ? vmfa::mpi::fit(many, mine, Eigen::VectorXd(w.segment(shard.first, shard.second)), MPI_COMM_WORLD)
                           : vmfa::mpi::fit(many, mine, MPI_COMM_WORLD);
  INFO("process " << rank() << " of " << size() << ", shard [" << shard.first << ", +" << shard.second << ")");
  INFO("F one process " << r1.freeEnergy << ", F over processes " << rp.freeEnergy);
  CHECK(rp.status == r1.status);
  CHECK(rp.iterations == r1.iterations);
  CHECK(std::abs(rp.freeEnergy - r1.freeEnergy) <= tol * std::abs(r1.freeEnergy));
  CHECK(maxRel(many.parameters().means, one.parameters().means) <= tol);
  CHECK(maxRel(many.parameters().loadings, one.parameters().loadings) <= tol);
  CHECK(maxRel(many.parameters().noise, one.parameters().noise) <= tol);
  CHECK(maxRel(many.parameters().weights, one.parameters().weights) <= tol);
  CHECK(rp.logJointEvaluations == r1.logJointEvaluations);
  // a second run at the same number of processes: the same bits
  ModelT again(o);
  const auto ra = w.size() ? vmfa::mpi::fit(again, mine, Eigen::VectorXd(w.segment(shard.first, shard.second)), MPI_COMM_WORLD)
                           : vmfa::mpi::fit(again, mine, MPI_COMM_WORLD);
  CHECK(ra.freeEnergy == rp.freeEnergy);
  CHECK(again.parameters().means == many.parameters().means);
  CHECK(again.parameters().loadings == many.parameters().loadings);
}

vmfa::Options smallOptions(Index C, vmfa::Init init) {
  vmfa::Options o;
  o.numComponents = C;
  o.latentDim = 2;
  o.maxIterations = 8;
  o.tolerance = 0.0;
  o.numThreads = 1;
  o.init = init;
  return o;
}

}  // namespace

TEMPLATE_TEST_CASE("a fit over processes is the one-process fit (v-MFA and exact EM, every seeding)", "[mpi]", double, float) {
  using S = TestType;
  const double tol = sizeof(S) == 8 ? 1e-9 : 2e-3;
  const auto truth = randomMfa<S>(12, 7, 2, 41, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 1500, 42);
  const Eigen::VectorXd none;
  for (auto init : {vmfa::Init::AfkMc2, vmfa::Init::KMeansPlusPlus, vmfa::Init::RandomPoints}) {
    INFO("init " << static_cast<int>(init));
    compareWithOneProcess<vmfa::Model<S>>(smallOptions(12, init), X, none, tol);
    compareWithOneProcess<vmfa::ExactModel<S>>(smallOptions(12, init), X, none, tol);
  }
}

TEMPLATE_TEST_CASE("PPCA loadings over processes give the one-process fit", "[mpi]", double, float) {
  using S = TestType;
  const double tol = sizeof(S) == 8 ? 1e-9 : 2e-3;
  const auto truth = randomMfa<S>(6, 9, 2, 43, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 1200, 44);
  const Eigen::VectorXd none;
  vmfa::Options o = smallOptions(6, vmfa::Init::AfkMc2);
  o.loadingInit = vmfa::LoadingInit::Ppca;
  compareWithOneProcess<vmfa::Model<S>>(o, X, none, tol);  // clusters of n >= D points
  compareWithOneProcess<vmfa::ExactModel<S>>(o, X, none, tol);
  Eigen::VectorXd w(X.cols());
  for (Index n = 0; n < w.size(); ++n) w(n) = 0.5 + static_cast<double>(n % 5);
  compareWithOneProcess<vmfa::Model<S>>(o, X, w, tol);
  // clusters of fewer than D points: one process solves them through the Gram matrix
  const vmfa::Matrix<S> few = X.leftCols(90);
  o.numComponents = 12;
  compareWithOneProcess<vmfa::Model<S>>(o, few, none, tol);
}

TEMPLATE_TEST_CASE("a fit over processes with sample weights is the one-process fit", "[mpi]", double, float) {
  using S = TestType;
  const double tol = sizeof(S) == 8 ? 1e-9 : 2e-3;
  const auto truth = randomMfa<S>(10, 6, 2, 43, 4.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 1200, 44);
  Eigen::VectorXd w(X.cols());
  for (Index n = 0; n < X.cols(); ++n) w(n) = (n % 7 == 0) ? 0.0 : 0.5 + static_cast<double>(n % 5);
  compareWithOneProcess<vmfa::Model<S>>(smallOptions(10, vmfa::Init::AfkMc2), X, w, tol);
  compareWithOneProcess<vmfa::ExactModel<S>>(smallOptions(10, vmfa::Init::AfkMc2), X, w, tol);
}

TEST_CASE("a fit over processes re-seeds degenerate components at the globally worst points", "[mpi]") {
  // 2 clusters of points but 6 components: some lose all their points and are re-seeded
  const auto truth = randomMfa<double>(2, 5, 1, 45, 8.0);
  const vmfa::Matrix<double> X = sampleFrom(truth, 900, 46);
  vmfa::Options o = smallOptions(6, vmfa::Init::RandomPoints);
  o.latentDim = 1;
  vmfa::ExactModel<double> one(o);
  const auto r1 = one.fit(X);
  const auto shard = shardOf(X.cols());
  vmfa::ExactModel<double> many(o);
  const auto rp = vmfa::mpi::fit(many, vmfa::Matrix<double>(X.middleCols(shard.first, shard.second)), MPI_COMM_WORLD);
  CHECK(rp.reseededComponents == r1.reseededComponents);
  CHECK(std::abs(rp.freeEnergy - r1.freeEnergy) <= 1e-9 * std::abs(r1.freeEnergy));
  CHECK(maxRel(many.parameters().means, one.parameters().means) <= 1e-9);
}

/// The message of the vmfa::InvalidArgument that f() throws, or "(no InvalidArgument)".
template <typename F>
std::string invalidArgumentOf(F&& f) {
  try {
    f();
  } catch (const vmfa::InvalidArgument& e) {
    return e.what();
  }
  return "(no InvalidArgument)";
}

TEST_CASE("processes that disagree stop with one clear error, not a hang", "[mpi]") {
  using Catch::Matchers::Contains;
  const auto truth = randomMfa<double>(4, 5, 1, 47, 4.0);
  const vmfa::Matrix<double> X = sampleFrom(truth, 400, 48);
  const auto shard = shardOf(X.cols());
  const vmfa::Matrix<double> part = X.middleCols(shard.first, shard.second);
  vmfa::Options o = smallOptions(4, vmfa::Init::AfkMc2);
  o.latentDim = 1;
  if (size() > 1) {
    // the last process has a different dimension
    const vmfa::Matrix<double> mine = rank() == size() - 1 ? vmfa::Matrix<double>::Ones(6, part.cols()) : part;
    vmfa::Model<double> m(o);
    CHECK_THAT(invalidArgumentOf([&] { vmfa::mpi::fit(m, mine, MPI_COMM_WORLD); }), Contains("dimension"));
    // one process has a NaN: every process throws, naming it
    vmfa::Matrix<double> bad = part;
    if (rank() == 0) bad(0, 0) = std::numeric_limits<double>::quiet_NaN();
    vmfa::Model<double> m2(o);
    CHECK_THAT(invalidArgumentOf([&] { vmfa::mpi::fit(m2, bad, MPI_COMM_WORLD); }), Contains("process 0"));
    // one process has sample weights, the others none
    vmfa::Model<double> m5(o);
    CHECK_THAT(invalidArgumentOf([&] {
                 if (rank() == 0)
                   vmfa::mpi::fit(m5, part, Eigen::VectorXd::Ones(part.cols()), MPI_COMM_WORLD);
                 else
                   vmfa::mpi::fit(m5, part, MPI_COMM_WORLD);
               }),
               Contains("sample weights"));
    // one process asks for other options
    vmfa::Options other = o;
    if (rank() == 1) other.seed = 99;
    vmfa::Model<double> m3(other);
    CHECK_THAT(invalidArgumentOf([&] { vmfa::mpi::fit(m3, part, MPI_COMM_WORLD); }), Contains("other options"));
  }
  // more components than points over all processes
  vmfa::Options big = o;
  big.numComponents = 401;
  vmfa::Model<double> m4(big);
  CHECK_THAT(invalidArgumentOf([&] { vmfa::mpi::fit(m4, part, MPI_COMM_WORLD); }), Contains("N = 400"));
}

TEST_CASE("the seeding tree over processes draws the one-process seeds", "[mpi]") {
  using S = double;
  const auto truth = randomMfa<S>(30, 5, 1, 71, 3.0);
  const vmfa::Matrix<S> X = sampleFrom(truth, 4000, 72);
  const auto shard = shardOf(X.cols());
  const vmfa::Matrix<S> mine = X.middleCols(shard.first, shard.second);
  vmfa::Options o = smallOptions(300, vmfa::Init::AfkMc2);
  o.latentDim = 1;
  o.afkmc2IndexFrom = 100;  // C = 300 >= 100: the tree
  const Eigen::VectorXd none;
  const vmfa::FitContext<S> one(X, none, o);
  const std::vector<double> wAll(static_cast<std::size_t>(X.cols()), 1.0);
  const std::vector<Index> reference = vmfa::detail::treeSeeds(one, wAll, 300);
  vmfa::mpi::Communicator comm(MPI_COMM_WORLD);
  const vmfa::FitContext<S> ctx(mine, none, o, comm);
  const std::vector<double> w(static_cast<std::size_t>(mine.cols()), 1.0);
  // every node gathered (the one-process code on the gathered points), and every node split across
  // the processes (gatherBytes = 0: pivots by AFK-MC² over the processes, cells summed)
  for (std::size_t gatherBytes : {std::size_t(64) << 20, std::size_t(0)}) {
    INFO("gatherBytes = " << gatherBytes);
    const std::vector<Index> seeds = vmfa::detail::treeSeedsAcross(ctx, w, 300, gatherBytes);
    CHECK(seeds == reference);
  }
  // and a whole fit through the tree equals the one-process fit (exact EM: at C = 300 the rows of
  // v-MFA's graph statistics overflow, and then its model depends on the split into processes)
  compareWithOneProcess<vmfa::ExactModel<S>>(o, X, none, 1e-9);
}

TEST_CASE("graph statistics merged across processes equal rank 0's += rank 1's += ..., rows overflowing", "[mpi]") {
  const Index C = 37, capacity = 5;
  // each process: rows with up to 12 candidates (overflowing the capacity), different per process
  vmfa::GraphStatistics mine(C, capacity);
  auto statsOf = [&](int r) {
    vmfa::GraphStatistics s(C, capacity);
    vmfa::detail::Random rng(7, 1, static_cast<std::uint64_t>(r));
    for (Index c = 0; c < C; ++c) {
      std::vector<vmfa::GraphStatistics::Entry> row;
      std::vector<char> used(static_cast<std::size_t>(C), 0);
      const Index n = static_cast<Index>(rng.below(13));
      for (Index i = 0; i < n; ++i) {
        const auto cand = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(C)));
        if (used[static_cast<std::size_t>(cand)]) continue;
        used[static_cast<std::size_t>(cand)] = 1;
        row.push_back({static_cast<std::int64_t>(rng.below(1u << 20)), cand, static_cast<std::uint32_t>(1 + rng.below(9))});
      }
      if (!row.empty()) s.mergeRow(c, row.data(), static_cast<Index>(row.size()));
    }
    return s;
  };
  mine = statsOf(rank());
  vmfa::mpi::Communicator comm(MPI_COMM_WORLD);
  const vmfa::GraphStatistics merged = vmfa::mpi::mergeAcross(comm, mine);
  vmfa::GraphStatistics reference = statsOf(0);
  for (int r = 1; r < size(); ++r) reference += statsOf(r);
  CHECK(merged.serialize() == reference.serialize());
  CHECK(merged.dropped() == reference.dropped());
  if (size() > 1) CHECK(merged.dropped() > 0);  // the rows did overflow
  if (size() > 1) CHECK(comm.bytesSent() > 0);
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  const int result = Catch::Session().run(argc, argv);
  int worst = result;
  MPI_Allreduce(&result, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return worst == 0 ? 0 : 1;
}
