// vmfa-denoise driven as a user would: real images in and out, real processes.
#include "catch.hpp"
#include "support.hpp"

#include <sys/stat.h>

#include <vmfa/image_files.hpp>

using namespace vmfa_test;
using vmfa::Image;
using vmfa::Index;

namespace {

Run denoiseCli(const TempDir& dir, const std::string& args) { return runProgram(VMFA_DENOISE_PATH, dir, args); }

/// A 48 × 40 test picture: blocks, a ramp and a bright disc (colour channels shifted).
Image picture(Index channels) {
  Image img(48, 40, channels);
  for (Index y = 0; y < img.height; ++y)
    for (Index x = 0; x < img.width; ++x)
      for (Index k = 0; k < channels; ++k) {
        double v = (x < 20) == (y < 24) ? 0.3 : 0.75;
        if ((x - 28) * (x - 28) + (y - 12) * (y - 12) < 40) v = 0.95;
        if (y >= 36) v = 0.1 + 0.02 * static_cast<double>(x);
        img.at(y, x, k) = static_cast<float>(v - 0.1 * static_cast<double>(k));
      }
  return img;
}

const std::string kSmall = " --patch 5 --components 10 --latent 3 --max-iter 10 --quiet";

}  // namespace

TEST_CASE("vmfa-denoise: PNG in, PNG and side-by-side out, with quality figures", "[cli][denoise]") {
  TempDir dir;
  for (Index channels : {1, 3}) {
    const std::string clean = dir.file("clean" + std::to_string(channels) + ".png");
    vmfa::saveImage(clean, picture(channels));
    const auto r = denoiseCli(dir, clean + " " + dir.file("out.png") + " --sigma 25 --add-noise --seed 4 --side-by-side " +
                                       dir.file("sbs.png") + " --noisy-out " + dir.file("noisy.npy") + kSmall);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("kpx/s") != std::string::npos);
    // "PSNR xx.xx dB (noisy yy.yy dB)": the denoised image is better than the noisy one
    double psnr = 0.0, noisyPsnr = 0.0;
    const auto at = r.out.find("PSNR ");
    REQUIRE(at != std::string::npos);
    REQUIRE(std::sscanf(r.out.c_str() + at, "PSNR %lf dB (noisy %lf dB)", &psnr, &noisyPsnr) == 2);
    CHECK(noisyPsnr == Approx(20.2).margin(0.6));  // σ = 25/255
    CHECK(psnr > noisyPsnr + 5.0);

    const Image out = vmfa::loadImage(dir.file("out.png"));
    CHECK(out.height == 48);
    CHECK(out.width == 40);
    CHECK(out.channels == channels);
    const Image sbs = vmfa::loadImage(dir.file("sbs.png"));
    CHECK(sbs.height == 48);
    CHECK(sbs.width == 3 * 40 + 2 * 4);
    // the noisy input was kept as float: it is the clean picture plus the seeded noise
    const Image noisy = vmfa::loadImage(dir.file("noisy.npy"));
    const Image expected = vmfa::addNoise(vmfa::loadImage(clean), 25.0 / 255.0, 4);
    CHECK(noisy.pixels == expected.pixels);
    if (channels == 3) {  // --colour rgb: the channels as given, another result than the opponent default
      const auto rgb = denoiseCli(dir, dir.file("noisy.npy") + " " + dir.file("rgb.npy") + " --sigma 25 --colour rgb" + kSmall);
      INFO(rgb.err);
      REQUIRE(rgb.code == 0);
      const auto opp = denoiseCli(dir, dir.file("noisy.npy") + " " + dir.file("opp.npy") + " --sigma 25" + kSmall);
      REQUIRE(opp.code == 0);
      const Image a = vmfa::loadImage(dir.file("rgb.npy")), b = vmfa::loadImage(dir.file("opp.npy"));
      CHECK(a.channels == 3);
      CHECK(a.pixels != b.pixels);
    }
  }
}

TEST_CASE("vmfa-denoise: float .npy in and out, reference given separately", "[cli][denoise]") {
  TempDir dir;
  const Image clean = picture(1);
  vmfa::saveImage(dir.file("clean.npy"), clean);
  vmfa::saveImage(dir.file("noisy.npy"), vmfa::addNoise(clean, 0.1, 9));
  const auto r = denoiseCli(dir, dir.file("noisy.npy") + " " + dir.file("out.npy") + " --sigma 25.5 --reference " +
                                     dir.file("clean.npy") + " --threads 1 --merge median --estimator projection" + kSmall);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("SSIM") != std::string::npos);
  const Image out = vmfa::loadImage(dir.file("out.npy"));
  REQUIRE(out.height == 48);
  REQUIRE(out.width == 40);
  CHECK(vmfa::psnr(clean, out) > 25.0);
  // the same run with two threads writes the same file
  const auto again = denoiseCli(dir, dir.file("noisy.npy") + " " + dir.file("out2.npy") + " --sigma 25.5 --threads 2" +
                                         " --merge median --estimator projection" + kSmall);
  REQUIRE(again.code == 0);
  CHECK(slurp(dir.file("out.npy")) == slurp(dir.file("out2.npy")));
}

TEST_CASE("vmfa-denoise: bad input gives a clear error and a non-zero exit", "[cli][denoise][errors]") {
  TempDir dir;
  const std::string clean = dir.file("clean.png");
  vmfa::saveImage(clean, picture(1));
  const std::string out = " " + dir.file("out.png");

  auto r = denoiseCli(dir, clean + out + " --sigma 0");
  CHECK(r.code == 2);
  CHECK(r.err.find("--sigma must be finite and > 0, got 0") != std::string::npos);
  // without --sigma the noise is estimated: a flat picture has none to remove
  vmfa::saveImage(dir.file("flat.png"), Image(48, 40, 1, 0.5f));
  r = denoiseCli(dir, dir.file("flat.png") + out);
  CHECK(r.code == 1);
  CHECK(r.err.find("the estimated noise level is 0: the image shows no noise to remove; nothing was written") !=
        std::string::npos);
  r = denoiseCli(dir, clean + out + " --peak 10");
  CHECK(r.code == 2);
  CHECK(r.err.find("--peak needs --noise poisson-gaussian") != std::string::npos);
  r = denoiseCli(dir, clean + out + " --noise poisson-gaussian --peak 0");
  CHECK(r.code == 2);
  CHECK(r.err.find("--peak must be finite and > 0, got 0") != std::string::npos);
  r = denoiseCli(dir, clean + out + " --noise poisson-gaussian --sigma -1");
  CHECK(r.code == 2);
  CHECK(r.err.find("--sigma must be finite and >= 0, got -1") != std::string::npos);
  r = denoiseCli(dir, clean + out + " --add-noise");
  CHECK(r.code == 2);
  CHECK(r.err.find("--add-noise needs --sigma S (the noise to add)") != std::string::npos);
  r = denoiseCli(dir, clean + out + " --add-noise --noise poisson-gaussian --sigma 2");
  CHECK(r.code == 2);
  CHECK(r.err.find("--add-noise with --noise poisson-gaussian needs --peak P") != std::string::npos);
  r = denoiseCli(dir, clean + out + " --noise poisson");
  CHECK(r.code == 2);
  r = denoiseCli(dir, clean + out + " --noise-estimator median");
  CHECK(r.code == 2);
  r = denoiseCli(dir, clean + out + " --sigma 25 --merge mode");
  CHECK(r.code == 2);
  CHECK(r.err.find("--merge must be mean or median, got 'mode'") != std::string::npos);
  r = denoiseCli(dir, clean + out + " --sigma 25 --bogus");
  CHECK(r.code == 2);
  CHECK(r.err.find("unknown option --bogus") != std::string::npos);

  r = denoiseCli(dir, dir.file("missing.png") + out + " --sigma 25");
  CHECK(r.code == 1);
  CHECK(r.err.find("cannot open '" + dir.file("missing.png") + "': No such file or directory") != std::string::npos);
  {
    std::ofstream(dir.file("garbage.png")) << "not a png";
  }
  r = denoiseCli(dir, dir.file("garbage.png") + out + " --sigma 25");
  CHECK(r.code == 1);
  CHECK(r.err.find("cannot read image") != std::string::npos);

  std::vector<unsigned char> rgba(16 * 16 * 4, 200);
  REQUIRE(stbi_write_png(dir.file("rgba.png").c_str(), 16, 16, 4, rgba.data(), 16 * 4));
  r = denoiseCli(dir, dir.file("rgba.png") + out + " --sigma 25");
  CHECK(r.code == 1);
  CHECK(r.err.find("has 4 channels (with alpha); only grey and RGB images are supported") != std::string::npos);

  r = denoiseCli(dir, clean + out + " --sigma 25 --patch 49");
  CHECK(r.code == 1);
  CHECK(r.err.find("vmfa::denoise: patch size p = 49 exceeds the image (48 x 40)") != std::string::npos);

  const float values[4] = {0.f, 1.f, 2.f, 3.f};
  vmfa::npy::write(dir.file("flat.npy"), values, {4});
  r = denoiseCli(dir, dir.file("flat.npy") + out + " --sigma 25");
  CHECK(r.code == 1);
  CHECK(r.err.find("has shape (4); images must be H x W or H x W x 3") != std::string::npos);

  r = denoiseCli(dir, clean + " " + dir.file("out.bmp") + " --sigma 25" + kSmall);
  CHECK(r.code == 2);  // refused before any work
  CHECK(r.err.find("unknown image type (use .png, .jpg or .npy)") != std::string::npos);
  struct stat st;
  CHECK(::stat(dir.file("out.png").c_str(), &st) != 0);  // nothing was written by the failed runs
}

TEST_CASE("vmfa-denoise: out-of-range options are usage errors, and a failing run writes nothing", "[cli][denoise][hostile]") {
  TempDir dir;
  const std::string clean = dir.file("clean.png");
  vmfa::saveImage(clean, picture(1));
  const std::string out = " " + dir.file("out.png");
  for (const std::string bad : {"--max-iter 4294967297", "--threads 4294967297", "--threads 100000", "--threads 4097",
                                "--threads 0", "--patch 0", "--components 0", "--train-stride 0", "--max-iter 0",
                                "--noise-floor nan", "--noise-floor -1", "--latent -1", "--seed -5", "--stages 0",
                                "--stages 3", "--second-patch 0", "--second-similar 1", "--second-window 0",
                                "--second-step 0", "--colour yuv", "--colour", "--scales 0",
                                "--scale-cutoff 1.5", "--scale-cutoff nan", "--coarse-iter 0"}) {
    const auto r = denoiseCli(dir, clean + out + " --sigma 25 " + bad);
    CAPTURE(bad, r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("\nusage: vmfa-denoise") != std::string::npos);
  }
  // outputs: refused before any work when one cannot be written, is not a regular file or is named twice
  auto r = denoiseCli(dir, clean + out + " --sigma 25 --side-by-side " + dir.file("nodir/s.png") + kSmall);
  CHECK(r.code == 2);
  CHECK(r.err.find("the folder '" + dir.file("nodir") + "' does not exist") != std::string::npos);
  r = denoiseCli(dir, clean + out + " --sigma 25 --noisy-out " + dir.path + "/./out.png" + kSmall);
  CHECK(r.code == 2);
  CHECK(r.err.find("names the same file as OUT") != std::string::npos);
  REQUIRE(::symlink("/dev/null", dir.file("null.png").c_str()) == 0);
  r = denoiseCli(dir, clean + " " + dir.file("null.png") + " --sigma 25" + kSmall);
  CHECK(r.code == 2);
  CHECK(r.err.find("is a symbolic link; refusing to replace it") != std::string::npos);
  struct stat st;
  CHECK(::stat(dir.file("out.png").c_str(), &st) != 0);
  // a JPEG whose Huffman table declares 257 codes (found by tests/fuzz/fuzz_image): stb_image 2.27
  // would write past its tables; it is refused before stb sees it
  r = denoiseCli(dir, std::string(VMFA_FUZZ_CORPUS_DIR) + "/image/regress_dht_257_codes.jpg" + out + " --sigma 25" + kSmall);
  CHECK(r.code == 1);
  CHECK(r.err.find("corrupt JPEG (a Huffman table holds more than 256 codes)") != std::string::npos);
  // a PNG announcing a 2 GB chunk in a small file (found by fuzz_image): refused before stb allocates it
  r = denoiseCli(dir, std::string(VMFA_FUZZ_CORPUS_DIR) + "/image/regress_png_idat_2gb.png" + out + " --sigma 25" + kSmall);
  CHECK(r.code == 1);
  CHECK(r.err.find("corrupt PNG (a chunk is longer than the file)") != std::string::npos);
  // a GIF (or any format other than PNG and JPEG) never reaches stb's other decoders
  {
    std::ofstream(dir.file("x.png")) << "GIF89a\x01\x00\x01\x00";
  }
  r = denoiseCli(dir, dir.file("x.png") + out + " --sigma 25" + kSmall);
  CHECK(r.code == 1);
  CHECK(r.err.find("not a PNG or JPEG file") != std::string::npos);
  // a FIFO as input is refused at once
  REQUIRE(::mkfifo(dir.file("fifo.png").c_str(), 0600) == 0);
  r = denoiseCli(dir, dir.file("fifo.png") + out + " --sigma 25" + kSmall);
  CHECK(r.code == 1);
  CHECK(r.err.find("' is a FIFO, not a regular file") != std::string::npos);
  // the three outputs together, and a run with many threads capped rather than crashing
  r = denoiseCli(dir, clean + out + " --sigma 25 --add-noise --threads 4096 --noisy-out " + dir.file("noisy.npy") +
                          " --side-by-side " + dir.file("s.png") + kSmall);
  CHECK(r.code == 0);
  CHECK(::stat(dir.file("out.png").c_str(), &st) == 0);
  CHECK(::stat(dir.file("noisy.npy").c_str(), &st) == 0);
  CHECK(::stat(dir.file("s.png").c_str(), &st) == 0);
}

TEST_CASE("vmfa-denoise: blind runs estimate the noise, print it, and denoise as if told it", "[cli][denoise][noise]") {
  TempDir dir;
  const std::string clean = dir.file("clean.png");
  vmfa::saveImage(clean, picture(1));
  // the noisy input kept as float, then denoised blind and told the estimate
  auto r = denoiseCli(dir, clean + " " + dir.file("told.npy") + " --sigma 20 --add-noise --seed 3 --noisy-out " +
                               dir.file("noisy.npy") + kSmall);
  REQUIRE(r.code == 0);
  r = denoiseCli(dir, dir.file("noisy.npy") + " " + dir.file("blind.npy") + " --seed 3 --reference " + clean +
                          " --patch 5 --components 10 --latent 3 --max-iter 10");
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  double sigma = 0.0;
  const auto at = r.out.find("noise: sigma ");
  REQUIRE(at != std::string::npos);
  REQUIRE(std::sscanf(r.out.c_str() + at, "noise: sigma %lf/255, estimated (kurtosis)", &sigma) == 1);
  CHECK(r.out.find("sigma estimated; p = 5") != std::string::npos);  // the header says what is to come
  CHECK(sigma > 12.0);
  CHECK(sigma < 28.0);
  CHECK(r.out.find("/255 estimated; PSNR") != std::string::npos);
  // told the printed estimate (to its printed precision) it gives the same image up to that rounding
  char told[64];
  std::snprintf(told, sizeof told, " --sigma %.4g", sigma);
  r = denoiseCli(dir, dir.file("noisy.npy") + " " + dir.file("again.npy") + " --seed 3" + told + kSmall);
  REQUIRE(r.code == 0);
  const Image blind = vmfa::loadImage(dir.file("blind.npy")), again = vmfa::loadImage(dir.file("again.npy"));
  CHECK(vmfa::psnr(blind, again) > 45.0);
  // --blind with --add-noise: the flags describe the noise added, the denoiser estimates it
  r = denoiseCli(dir, clean + " " + dir.file("b.png") + " --sigma 20 --add-noise --seed 3 --blind" + kSmall);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("/255 estimated; PSNR") != std::string::npos);
}

TEST_CASE("vmfa-denoise: Poisson-Gaussian noise added, told and estimated", "[cli][denoise][noise]") {
  TempDir dir;
  const std::string clean = dir.file("clean.png");
  vmfa::saveImage(clean, picture(1));
  for (const std::string extra : {"", " --blind"}) {
    const auto r = denoiseCli(dir, clean + " " + dir.file("out.png") +
                                       " --noise poisson-gaussian --peak 20 --sigma 2 --add-noise --seed 5" + extra + kSmall);
    INFO(extra << ": " << r.out << r.err);
    REQUIRE(r.code == 0);
    double psnr = 0.0, noisyPsnr = 0.0;
    const auto at = r.out.find("PSNR ");
    REQUIRE(at != std::string::npos);
    REQUIRE(std::sscanf(r.out.c_str() + at, "PSNR %lf dB (noisy %lf dB)", &psnr, &noisyPsnr) == 2);
    CHECK(psnr > noisyPsnr + 4.0);
    CHECK((r.out.find("Poisson-Gaussian noise, peak ") != std::string::npos) == !extra.empty());
  }
}
