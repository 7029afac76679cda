// hnswlib anchor compiled on this machine (g++ -O3 -march=native) from Debian's libhnswlib-dev
// headers: the stretch anchor. Same protocol as hnswlib_anchor.py — M and ef_construction
// fixed, ef swept, single thread, one query at a time — on the files bench/datasets.ts writes.
// Usage: hnswlib_native --dir=D --dim=784 --k=10 --M=16 --efc=200 --efs=10,20,40
// Prints one JSON object per ef on stdout.
#include <hnswlib/hnswlib.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

static std::vector<char> readAll(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(1);
  }
  return std::vector<char>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

static long rssBytes() {
  std::ifstream f("/proc/self/statm");
  long pages = 0, resident = 0;
  f >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

int main(int argc, char **argv) {
  std::map<std::string, std::string> a;
  for (int i = 1; i < argc; i++) {
    std::string s = argv[i];
    while (!s.empty() && s[0] == '-') s.erase(0, 1);
    size_t eq = s.find('=');
    a[s.substr(0, eq)] = eq == std::string::npos ? "" : s.substr(eq + 1);
  }
  const size_t dim = std::stoul(a["dim"]), k = std::stoul(a["k"]), M = std::stoul(a["M"]), efc = std::stoul(a["efc"]);
  std::vector<char> baseBytes = readAll(a["dir"] + "/base.f32");
  std::vector<char> queryBytes = readAll(a["dir"] + "/queries.f32");
  std::vector<char> gtBytes = readAll(a["dir"] + "/gt.i32");
  const float *base = reinterpret_cast<const float *>(baseBytes.data());
  const float *queries = reinterpret_cast<const float *>(queryBytes.data());
  const int *gt = reinterpret_cast<const int *>(gtBytes.data());
  const size_t n = baseBytes.size() / 4 / dim, nq = queryBytes.size() / 4 / dim, gtK = gtBytes.size() / 4 / nq;

  long r0 = rssBytes();
  auto t0 = std::chrono::steady_clock::now();
  hnswlib::L2Space space(dim);
  auto *index = new hnswlib::HierarchicalNSW<float>(&space, n, M, efc, 100);
  for (size_t i = 0; i < n; i++) index->addPoint(base + i * dim, i);
  double build = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  long mem = rssBytes() - r0;

  std::stringstream efs(a["efs"]);
  std::string tok;
  while (std::getline(efs, tok, ',')) {
    if (tok.empty()) continue;
    size_t ef = std::stoul(tok);
    index->setEf(ef < k ? k : ef);
    std::vector<std::vector<size_t>> found(nq);
    auto t = std::chrono::steady_clock::now();
    for (size_t q = 0; q < nq; q++) {
      auto res = index->searchKnn(queries + q * dim, k);
      while (!res.empty()) {
        found[q].push_back(res.top().second);
        res.pop();
      }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    size_t hit = 0;
    for (size_t q = 0; q < nq; q++) {
      std::set<size_t> want(gt + q * gtK, gt + q * gtK + k);
      for (size_t id : found[q]) hit += want.count(id);
    }
    std::printf("{\"system\":\"hnswlib-native\",\"index\":\"HNSW\",\"params\":\"M=%zu,efC=%zu,ef=%zu\",\"recall\":%.6f,\"qps\":%.3f,\"build_s\":%.3f,\"memory_bytes\":%ld}\n",
                M, efc, ef, static_cast<double>(hit) / (nq * k), nq / secs, build, mem);
    std::fflush(stdout);
  }
  delete index;
  return 0;
}
