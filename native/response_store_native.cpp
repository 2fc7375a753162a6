// DirResponseStore: the synthesis reply cache as a directory natively: one small JSON file per
// request key, under a two-hex-digit fan-out folder (<dir>/ab/abcdef....json), written to a
// temporary name and renamed so a killed run never leaves half a file.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "platform/http_client.h"
#include "synth/response_store.h"

namespace winnow {
namespace {

bool MakeDir(const std::string& d) { return mkdir(d.c_str(), 0777) == 0 || errno == EEXIST; }

bool MakeDirs(const std::string& dir) {
  std::string cur;
  for (size_t i = 0; i <= dir.size(); ++i) {
    if ((i == dir.size() || dir[i] == '/') && !cur.empty() && !MakeDir(cur)) return false;
    if (i < dir.size()) cur.push_back(dir[i]);
  }
  return true;
}

class DirResponseStore final : public ResponseStore {
 public:
  explicit DirResponseStore(std::string dir) : m_dir(std::move(dir)) {}
  std::optional<std::string> Get(const std::string& key) override {
    if (!ValidKey(key)) return std::nullopt;
    FILE* f = std::fopen(Path(key).c_str(), "rb");
    if (!f) return std::nullopt;
    std::string s;
    char buf[8192];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
    std::fclose(f);
    return s;
  }
  void Put(const std::string& key, const std::string& value) override {
    if (!ValidKey(key) || !MakeDirs(m_dir + "/" + key.substr(0, 2))) return;
    std::string path = Path(key), tmp = path + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) return;
    bool ok = std::fwrite(value.data(), 1, value.size(), f) == value.size();
    ok = std::fclose(f) == 0 && ok;
    if (ok) std::rename(tmp.c_str(), path.c_str());
    else std::remove(tmp.c_str());
  }
  std::string Where() const override { return m_dir; }

 private:
  static bool ValidKey(const std::string& k) {
    if (k.size() < 4) return false;
    for (char c : k)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
  }
  std::string Path(const std::string& key) const { return m_dir + "/" + key.substr(0, 2) + "/" + key + ".json"; }
  std::string m_dir;
};

}  // namespace

std::unique_ptr<ResponseStore> NewDirResponseStore(const std::string& dir) {
  if (!MakeDirs(dir)) return nullptr;
  return std::make_unique<DirResponseStore>(dir);
}

}  // namespace winnow
