// Command-line plumbing shared by the tools (vmfa, vmfa-denoise): one table of flags per command,
// from which the usage line, --help and the parser all come; number parsing with ranges; a tiny
// JSON writer; and the precision dispatch.
#pragma once

#include <vmfa/detail/file.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace vmfa_examples {

/// A usage error: the tool prints it with the usage line and exits with code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One flag: its name, how many values follow it, their names for the usage line, and its help.
struct Flag {
  std::string name;
  int values = 1;
  std::string metavar;  ///< e.g. "C", or "K FILE" for two values
  std::string help;     ///< one or more lines, without the flag itself
  bool required = false;
};

/// One command (or a whole single-command tool): positionals, flags, description.
struct Command {
  std::string program;      ///< e.g. "vmfa fit" or "vmfa-denoise"
  std::string positionals;  ///< e.g. "DATA.npy"
  std::size_t numPositionals = 0;
  std::string description;  ///< what the command does (help text, may span lines)
  std::vector<Flag> flags;

  /// "PROGRAM POSITIONALS -r R [--flag V] ...", wrapped at 100 columns.
  std::string synopsis() const {
    std::string out = program + (positionals.empty() ? "" : " " + positionals), line = out;
    const std::string indent(program.size() + 1, ' ');
    for (const Flag& f : flags) {
      std::string item = f.name + (f.values ? " " + f.metavar : "");
      if (!f.required) item = "[" + item + "]";
      if (line.size() + 1 + item.size() > 100) {
        out += "\n" + indent;
        line = indent;
      } else {
        out += " ";
        line += " ";
      }
      out += item;
      line += item;
    }
    return out;
  }

  /// The usage line, the description and one entry per flag.
  std::string help() const {
    std::string out = "usage: " + synopsis() + "\n" + description;
    for (const Flag& f : flags) {
      std::string head = "  " + f.name + (f.values ? " " + f.metavar : "");
      head.resize(std::max<std::size_t>(head.size() + 2, 22), ' ');
      std::string text = f.help, pad(22, ' ');
      for (std::size_t at = 0; (at = text.find('\n', at)) != std::string::npos; at += 1 + pad.size()) text.insert(at + 1, pad);
      out += head + text + "\n";
    }
    return out;
  }
};

/// Flags both tools share.
inline const Flag kThreadsFlag{"--threads", 1, "T",
                               "OpenMP threads, 1 to 4096 (default: all cores; more than 4 per core are capped);\n"
                               "results do not depend on it"};
inline const Flag kPrecisionFlag{"--precision", 1, "P", "float (default) or double"};

/// The parsed command line of one command.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> flags;

  bool has(const std::string& f) const { return flags.count(f) > 0; }
  std::string get(const std::string& f, const std::string& fallback = "") const {
    const auto it = flags.find(f);
    return it == flags.end() ? fallback : it->second.at(0);
  }
};

inline bool isFlag(const std::string& s) {
  return s.size() > 1 && s[0] == '-' && !(std::isdigit(static_cast<unsigned char>(s[1])) || s[1] == '.');
}

/// Parses argv[first...] against `cmd`. \throws UsageError on an unknown, repeated or incomplete
/// flag, a missing required flag or a wrong number of positionals.
inline Args parse(const Command& cmd, int argc, char** argv, int first) {
  Args a;
  for (int i = first; i < argc; ++i) {
    const std::string s = argv[i];
    if (!isFlag(s)) {
      a.positional.push_back(s);
      continue;
    }
    const Flag* f = nullptr;
    for (const Flag& g : cmd.flags)
      if (g.name == s) f = &g;
    if (!f) throw UsageError("unknown option " + s);
    if (a.has(s)) throw UsageError(s + " given twice");
    std::vector<std::string>& values = a.flags[s];
    for (int k = 0; k < f->values; ++k) {
      if (i + 1 >= argc) throw UsageError(s + " needs " + (f->values == 1 ? "a value" : std::to_string(f->values) + " values"));
      values.push_back(argv[++i]);
    }
  }
  if (a.positional.size() != cmd.numPositionals)
    throw UsageError("expected " + std::to_string(cmd.numPositionals) + " argument" + (cmd.numPositionals == 1 ? "" : "s") +
                     ", got " + std::to_string(a.positional.size()) + " (" + cmd.positionals + ")");
  for (const Flag& f : cmd.flags)
    if (f.required && !a.has(f.name)) throw UsageError(f.name + " " + f.metavar + " is required");
  return a;
}

/// An integer in [lo, hi]. \throws UsageError naming the flag.
inline long long toInt(const std::string& flag, const std::string& v, long long lo, long long hi) {
  char* end = nullptr;
  errno = 0;
  const long long x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno != 0) throw UsageError(flag + " needs an integer, got '" + v + "'");
  if (x < lo || x > hi) throw UsageError(flag + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + v);
  return x;
}

/// --threads T in [1, 4096], or 0 (the library's default: all cores) when absent.
inline int threadsOf(const Args& a) {
  return a.has("--threads") ? static_cast<int>(toInt("--threads", a.get("--threads"), 1, 4096)) : 0;
}

/// Checks a command's output paths before it does any work: each must be a new path or a regular
/// file in an existing folder (a symbolic link, device, FIFO or folder is refused, never replaced),
/// and no two may name the same file. `outputs` holds (flag, path) pairs. \throws UsageError.
inline void checkOutputs(const std::vector<std::pair<std::string, std::string>>& outputs) {
  std::vector<vmfa::detail::OutputIdentity> seen;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const auto& [flag, path] = outputs[i];
    try {
      seen.push_back(vmfa::detail::checkOutputPath(path, flag.c_str()));
    } catch (const vmfa::FileError& e) {
      throw UsageError(e.what());
    }
    for (std::size_t j = 0; j < i; ++j)
      if (seen[j] == seen[i])
        throw UsageError(flag + " '" + path + "' names the same file as " + outputs[j].first + " '" + outputs[j].second +
                         "'; each output needs its own path");
  }
}

/// A finite number. \throws UsageError naming the flag.
inline double toDouble(const std::string& flag, const std::string& v) {
  char* end = nullptr;
  errno = 0;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || errno != 0 || !std::isfinite(x)) throw UsageError(flag + " needs a number, got '" + v + "'");
  return x;
}

/// One of `choices`. \throws UsageError listing them.
inline std::string toChoice(const std::string& flag, const std::string& v, const std::vector<std::string>& choices) {
  std::string list;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (choices[i] == v) return v;
    list += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  }
  throw UsageError(flag + " must be " + list + ", got '" + v + "'");
}

/// Calls f(float()) or f(double()) for a precision of 4 or 8 bytes.
template <typename F>
auto withPrecision(int bytes, F&& f) {
  return bytes == 4 ? f(float()) : f(double());
}

/// A JSON object written field by field (numbers: shortest exact form; non-finite as null).
class Json {
 public:
  Json& add(const std::string& key, const std::string& value) { return raw(key, quote(value)); }
  Json& add(const std::string& key, const char* value) { return raw(key, quote(value)); }
  Json& add(const std::string& key, bool value) { return raw(key, value ? "true" : "false"); }
  Json& add(const std::string& key, double value) { return raw(key, number(value)); }
  Json& add(const std::string& key, long long value) { return raw(key, std::to_string(value)); }
  Json& add(const std::string& key, unsigned long long value) { return raw(key, std::to_string(value)); }
  /// A value already in JSON (an array or object).
  Json& raw(const std::string& key, const std::string& json) {
    body_ += (body_.empty() ? "" : ", ") + quote(key) + ": " + json;
    return *this;
  }
  std::string str() const { return "{" + body_ + "}"; }

  static std::string quote(const std::string& s) {
    std::string o = "\"";
    for (char ch : s) {
      if (ch == '"' || ch == '\\') o += '\\';
      if (static_cast<unsigned char>(ch) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", ch);
        o += buf;
      } else {
        o += ch;
      }
    }
    return o + "\"";
  }
  static std::string number(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
  }

 private:
  std::string body_;
};

}  // namespace vmfa_examples
