// An in-process stand-in for a communicator: P simulated processes, each a std::thread with its own
// vmfa::Collective, exchanging through one shared board. It lets the ordinary test build run the
// distributed fit logic (agreements, combiners, user policies) without MPI.
#pragma once

#include <vmfa/collective.hpp>

#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace vmfa_test {

/// P simulated processes: `run(f)` calls f(rank, collective) on P threads at once and rethrows the
/// first exception any of them let escape.
class LocalGroup {
 public:
  explicit LocalGroup(int P) : board_(std::make_shared<Board>(P)) {}

  int size() const { return board_->P; }

  template <typename F>
  void run(F&& f) {
    std::vector<std::thread> threads;
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(size()));
    for (int r = 0; r < size(); ++r)
      threads.emplace_back([&, r] {
        try {
          f(r, std::shared_ptr<const vmfa::Collective>(std::make_shared<Member>(board_, r)));
        } catch (...) {
          errors[static_cast<std::size_t>(r)] = std::current_exception();
        }
      });
    for (auto& t : threads) t.join();
    for (const auto& e : errors)
      if (e) std::rethrow_exception(e);
  }

 private:
  struct Board {
    explicit Board(int processes) : P(processes), slots(static_cast<std::size_t>(processes)) {}
    const int P;
    std::mutex mutex;
    std::condition_variable cv;
    int arrived = 0;
    std::uint64_t generation = 0;
    std::vector<std::vector<char>> slots;

    void barrier(std::unique_lock<std::mutex>& lock) {
      const std::uint64_t mine = generation;
      if (++arrived == P) {
        arrived = 0;
        ++generation;
        cv.notify_all();
      } else {
        cv.wait(lock, [&] { return generation != mine; });
      }
    }
    /// Every member's bytes, in rank order (each member calls it with its own).
    std::vector<std::vector<char>> exchange(int rank, std::vector<char> bytes) {
      std::unique_lock<std::mutex> lock(mutex);
      slots[static_cast<std::size_t>(rank)] = std::move(bytes);
      barrier(lock);
      std::vector<std::vector<char>> all = slots;
      barrier(lock);  // nobody writes the next exchange's slot before everybody has read this one
      return all;
    }
  };

  class Member final : public vmfa::Collective {
   public:
    Member(std::shared_ptr<Board> board, int rank) : board_(std::move(board)), rank_(rank) {}
    int rank() const override { return rank_; }
    int size() const override { return board_->P; }

   protected:
    void sumValues(double* values, std::size_t n) const override { sumInRankOrder(values, n); }
    void sumValues(std::int64_t* values, std::size_t n) const override { sumInRankOrder(values, n); }
    std::vector<std::vector<char>> gatherBytes(const std::vector<char>& mine) const override {
      return board_->exchange(rank_, mine);
    }
    void broadcastBytes(std::vector<char>& bytes, int root) const override {
      bytes = board_->exchange(rank_, bytes)[static_cast<std::size_t>(root)];
    }

   private:
    template <typename T>
    void sumInRankOrder(T* values, std::size_t n) const {
      std::vector<char> mine(n * sizeof(T));
      if (n > 0) std::memcpy(mine.data(), values, mine.size());
      const auto all = board_->exchange(rank_, std::move(mine));
      std::vector<T> total(n, T(0)), part(n);
      for (const auto& bytes : all) {
        if (n > 0) std::memcpy(part.data(), bytes.data(), bytes.size());
        for (std::size_t i = 0; i < n; ++i) total[i] += part[i];
      }
      if (n > 0) std::memcpy(values, total.data(), n * sizeof(T));
    }

    std::shared_ptr<Board> board_;
    int rank_;
  };

  std::shared_ptr<Board> board_;
};

}  // namespace vmfa_test
