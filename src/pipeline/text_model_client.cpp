// TextModelClient (see text_model_client.h).
#include "pipeline/text_model_client.h"

#include <algorithm>
#include <deque>

#include "dedup/embedding_index.h"
#include "pipeline/pipeline_config.h"

namespace winnow {

Result<Tokenizer> TokenizerFromModelFile(const std::string& path, const std::string& text) {
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
  // tokenizer.json ({...}) or a JSON list of tokens. A vocab.txt starts with '[' too (its first line
  // is "[PAD]" in every BERT vocabulary): a '[' file is a list only when it parses as JSON.
  if (i < text.size() && text[i] == '{') return Tokenizer::FromFileText(path, text);
  if (i < text.size() && text[i] == '[' && nlohmann::json::accept(text)) return Tokenizer::FromFileText(path, text);
  // vocab.txt: one token per line; id = line number. Becomes the JSON list FromWordPieceVocab reads.
  nlohmann::json list = nlohmann::json::array();
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string tok = text.substr(start, end - start);
    if (!tok.empty() && tok.back() == '\r') tok.pop_back();
    list.push_back(tok);
    start = end + 1;
  }
  if (list.empty()) return Error{"bad_config", path + ": empty vocabulary"};
  return Tokenizer::FromWordPieceVocab(list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

SpecialIds FindSpecialIds(const Tokenizer& tok) {
  SpecialIds s;
  uint32_t cls = 0, sep = 0, pad = 0;
  if (tok.TokenToId("[CLS]", &cls) && tok.TokenToId("[SEP]", &sep)) {
    s.has_cls_sep = true;
  } else if (tok.TokenToId("<s>", &cls) && tok.TokenToId("</s>", &sep)) {
    s.has_cls_sep = true;
  }
  if (!tok.TokenToId("[PAD]", &pad) && !tok.TokenToId("<pad>", &pad)) pad = 0;
  s.cls = cls, s.sep = sep, s.pad = pad;
  return s;
}

EncodedBatch EncodeBatch(const Tokenizer& tok, const SpecialIds& special, const std::vector<std::string>& texts,
                         size_t max_length, bool add_special) {
  EncodedBatch b;
  b.rows = texts.size();
  std::vector<std::vector<int64_t>> rows(texts.size());
  const bool wrap = add_special && special.has_cls_sep;
  const size_t room = std::max<size_t>(wrap ? (max_length > 2 ? max_length - 2 : 0) : max_length, 0);
  for (size_t i = 0; i < texts.size(); ++i) {
    std::vector<uint32_t> ids = tok.Encode(texts[i], false);
    auto& r = rows[i];
    if (wrap) r.push_back(special.cls);
    for (size_t k = 0; k < ids.size() && k < room; ++k) r.push_back(ids[k]);
    if (wrap) r.push_back(special.sep);
    if (r.empty()) r.push_back(special.pad);  // a zero-length row is not a valid tensor row
    b.seq = std::max(b.seq, r.size());
  }
  b.ids.assign(b.rows * b.seq, special.pad);
  b.mask.assign(b.rows * b.seq, 0);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::copy(rows[i].begin(), rows[i].end(), b.ids.begin() + static_cast<std::ptrdiff_t>(i * b.seq));
    const bool empty_text = rows[i].size() == 1 && !wrap && texts[i].empty();
    std::fill_n(b.mask.begin() + static_cast<std::ptrdiff_t>(i * b.seq), empty_text ? 0 : rows[i].size(), 1);
  }
  return b;
}

Status TextModelConfig::Parse(std::string_view type, const nlohmann::json& p) {
  Status st;
  if (!(st = GetParam(type, p, "model", &model)).ok()) return st;
  if (!(st = GetParam(type, p, "tokenizer", &tokenizer)).ok()) return st;
  if (!(st = GetParam(type, p, "output", &output)).ok()) return st;
  if (!(st = GetParam(type, p, "max_length", &max_length, 2, 8192)).ok()) return st;
  if (!(st = GetParam(type, p, "batch_size", &batch_size, 1, 4096)).ok()) return st;
  if (!(st = GetParam(type, p, "add_special", &add_special)).ok()) return st;
  if (model.empty())
    return Error{"bad_config", std::string(type) + ": \"model\" is required (a path to an .onnx file, or \"asset:<name>\")"};
  if (tokenizer.empty())
    return Error{"bad_config", std::string(type) + ": \"tokenizer\" is required (tokenizer.json or vocab.txt)"};
  return Status::Ok();
}

void TextModelConfig::ToJson(nlohmann::json* out) const {
  (*out)["model"] = model;
  (*out)["tokenizer"] = tokenizer;
  (*out)["output"] = output;
  (*out)["max_length"] = max_length;
  (*out)["batch_size"] = batch_size;
  (*out)["add_special"] = add_special;
}

struct TextModelClient::State {
  struct Job {
    std::vector<std::string> texts;
    BatchDone on_batch;
    std::function<void()> on_all;
    size_t next = 0;
  };
  ModelRunner* runner = nullptr;
  TextModelConfig config;
  std::unique_ptr<Tokenizer> tokenizer;
  SpecialIds special;
  ModelHandle handle = 0;
  std::string output_name;
  std::vector<TensorInfo> inputs;
  int loads_pending = 0;
  bool in_flight = false, pumping = false;
  std::string error, runtime;
  std::deque<Job> jobs;
  uint64_t texts_done = 0, tokens_done = 0, truncated = 0;

  ~State() {
    if (runner && handle) runner->Release(handle);
  }
  bool Ready() const { return loads_pending == 0 && handle != 0 && tokenizer != nullptr; }
  void Fail(std::string msg) {
    if (error.empty()) error = std::move(msg);
    // Jobs end without their batches; their owners see error().
    std::deque<Job> failed;
    failed.swap(jobs);
    for (auto& j : failed)
      if (j.on_all) j.on_all();
  }
};

namespace {

// Runs as many batches as the runner completes synchronously; asynchronous completions call back in.
void Pump(const std::shared_ptr<TextModelClient::State>& st) {
  if (st->pumping) return;
  st->pumping = true;
  while (st->Ready() && !st->in_flight && !st->jobs.empty() && st->error.empty()) {
    auto& job = st->jobs.front();
    if (job.next >= job.texts.size()) {
      auto done = std::move(job.on_all);
      st->jobs.pop_front();
      if (done) done();
      continue;
    }
    const size_t first = job.next;
    const size_t n = std::min(job.texts.size() - first, static_cast<size_t>(st->config.batch_size));
    std::vector<std::string> slice(job.texts.begin() + static_cast<std::ptrdiff_t>(first),
                                   job.texts.begin() + static_cast<std::ptrdiff_t>(first + n));
    auto batch = std::make_shared<EncodedBatch>(EncodeBatch(*st->tokenizer, st->special, slice,
                                                            static_cast<size_t>(st->config.max_length),
                                                            st->config.add_special));
    for (size_t i = 0; i < batch->rows; ++i) {
      uint64_t t = 0;
      for (size_t s = 0; s < batch->seq; ++s) t += batch->mask[i * batch->seq + s] != 0;
      st->tokens_done += t;
      if (t >= static_cast<uint64_t>(st->config.max_length)) ++st->truncated;  // at the cap: likely cut
    }
    std::vector<Tensor> inputs;
    for (const TensorInfo& in : st->inputs) {
      Tensor t;
      t.name = in.name;
      t.type = TensorType::Int64;
      t.shape = {static_cast<int64_t>(batch->rows), static_cast<int64_t>(batch->seq)};
      if (in.name.find("mask") != std::string::npos) {
        t.i64 = batch->mask;
      } else if (in.name.find("type") != std::string::npos) {
        t.i64.assign(batch->ids.size(), 0);
      } else {
        t.i64 = batch->ids;
      }
      inputs.push_back(std::move(t));
    }
    job.next = first + n;
    st->in_flight = true;
    std::weak_ptr<TextModelClient::State> weak = st;
    st->runner->Run(st->handle, std::move(inputs), {st->output_name},
                    [weak, first, batch](Result<std::vector<Tensor>> r) {
                      auto s = weak.lock();
                      if (!s) return;  // the step is gone (cancelled run)
                      s->in_flight = false;
                      if (!r.ok()) {
                        s->Fail(r.error().message);
                        return;
                      }
                      if (r.value().empty()) {
                        s->Fail("the model returned no output");
                        return;
                      }
                      if (!s->jobs.empty()) {
                        s->texts_done += batch->rows;
                        if (s->jobs.front().on_batch) s->jobs.front().on_batch(first, r.value()[0], *batch);
                      }
                      Pump(s);
                    });
  }
  st->pumping = false;
}

// Reads a model file: a path through ctx.read_file (synchronous), an asset through the runner.
void FetchBytes(const std::string& spec, StepContext& ctx, ModelRunner* runner, BytesCallback done) {
  ModelSource src = ParseModelSource(spec);
  if (src.is_asset) {
    runner->ReadAsset(src.name, std::move(done));
    return;
  }
  if (!ctx.read_file) {
    done(Error{"io_error", "cannot read " + src.name + ": this front end gives steps no file access"});
    return;
  }
  done(ctx.read_file(src.name));
}

void OnModelLoaded(const std::shared_ptr<TextModelClient::State>& s, Result<ModelHandle> h) {
  --s->loads_pending;
  if (!h.ok()) {
    s->Fail(s->config.model + ": " + h.error().message);
    return;
  }
  s->handle = h.value();
  auto info = s->runner->Info(s->handle);
  if (!info.ok()) {
    s->Fail(info.error().message);
    return;
  }
  for (const TensorInfo& in : info.value().inputs) {
    if (in.type != TensorType::Int64 || !in.type_supported) {
      s->Fail(s->config.model + ": input \"" + in.name + "\" is not int64; text models take token ids "
                                "(input_ids, attention_mask, token_type_ids)");
      return;
    }
  }
  s->inputs = info.value().inputs;
  if (s->config.output.empty()) {
    if (info.value().outputs.empty()) {
      s->Fail(s->config.model + ": the model has no outputs");
      return;
    }
    s->output_name = info.value().outputs[0].name;
  } else {
    bool found = false;
    std::string names;
    for (const auto& o : info.value().outputs) {
      found = found || o.name == s->config.output;
      names += (names.empty() ? "" : ", ") + o.name;
    }
    if (!found) {
      s->Fail(s->config.model + ": no output named \"" + s->config.output + "\" (the model has: " + names + ")");
      return;
    }
    s->output_name = s->config.output;
  }
  Pump(s);
}

}  // namespace

TextModelClient::TextModelClient() : m_state(std::make_shared<State>()) {}
TextModelClient::~TextModelClient() = default;

Status TextModelClient::Start(const TextModelConfig& config, StepContext& ctx) {
  auto s = m_state;
  s->config = config;
  if (!ctx.models) {
    return Error{"model_runtime_missing",
                 "model steps need ONNX Runtime, which the studio and the native CLI provide; this front end has none"};
  }
  s->runner = ctx.models;
  s->runtime = s->runner->Describe();
  if (Status av = s->runner->Available(); !av.ok()) return av;
  s->loads_pending = 2;
  std::weak_ptr<State> weak = s;
  FetchBytes(config.tokenizer, ctx, s->runner, [weak](Result<std::string> text) {
    auto st = weak.lock();
    if (!st) return;
    --st->loads_pending;
    if (!text.ok()) {
      st->Fail(st->config.tokenizer + ": " + text.error().message);
      return;
    }
    auto tok = TokenizerFromModelFile(st->config.tokenizer, text.value());
    if (!tok.ok()) {
      st->Fail(st->config.tokenizer + ": " + tok.error().message);
      return;
    }
    st->tokenizer = std::make_unique<Tokenizer>(std::move(tok.value()));
    st->special = FindSpecialIds(*st->tokenizer);
    Pump(st);
  });
  if (!s->error.empty()) return Error{"bad_config", s->error};
  FetchBytes(config.model, ctx, s->runner, [weak](Result<std::string> bytes) {
    auto st = weak.lock();
    if (!st) return;
    if (!bytes.ok()) {
      --st->loads_pending;
      st->Fail(st->config.model + ": " + bytes.error().message);
      return;
    }
    std::weak_ptr<State> w2 = st;
    st->runner->Load(std::move(bytes.value()), [w2](Result<ModelHandle> h) {
      auto st2 = w2.lock();
      if (!st2) return;
      OnModelLoaded(st2, std::move(h));
    });
  });
  if (!s->error.empty()) return Error{"bad_model", s->error};
  return Status::Ok();
}

void TextModelClient::Submit(std::vector<std::string> texts, BatchDone on_batch, std::function<void()> on_all) {
  if (!m_state->error.empty()) {
    if (on_all) on_all();
    return;
  }
  m_state->jobs.push_back(State::Job{std::move(texts), std::move(on_batch), std::move(on_all), 0});
  Pump(m_state);
}

bool TextModelClient::Busy() const {
  return m_state->error.empty() && (m_state->loads_pending > 0 || m_state->in_flight || !m_state->jobs.empty());
}
const std::string& TextModelClient::error() const { return m_state->error; }
const std::string& TextModelClient::runtime() const { return m_state->runtime; }
uint64_t TextModelClient::texts_done() const { return m_state->texts_done; }
uint64_t TextModelClient::tokens_done() const { return m_state->tokens_done; }
uint64_t TextModelClient::truncated() const { return m_state->truncated; }

bool PoolEmbeddings(const Tensor& output, const EncodedBatch& batch, std::vector<float>* rows, size_t* dim,
                    bool cls_pooling) {
  if (output.type != TensorType::Float32) return false;
  const auto& sh = output.shape;
  if (sh.size() == 3 && sh[0] == static_cast<int64_t>(batch.rows) && sh[1] == static_cast<int64_t>(batch.seq) && sh[2] > 0) {
    const size_t seq = batch.seq, d = static_cast<size_t>(sh[2]);
    *dim = d;
    rows->assign(batch.rows * d, 0.0f);
    for (size_t i = 0; i < batch.rows; ++i) {
      const float* h = output.f32.data() + i * seq * d;
      if (cls_pooling) {
        std::copy_n(h, d, rows->data() + i * d);
      } else {
        MeanPool(h, batch.mask.data() + i * seq, seq, d, rows->data() + i * d);
      }
    }
    return true;
  }
  if (sh.size() == 2 && sh[0] == static_cast<int64_t>(batch.rows) && sh[1] > 0) {
    *dim = static_cast<size_t>(sh[1]);
    rows->assign(output.f32.begin(), output.f32.end());
    return true;
  }
  return false;
}

}  // namespace winnow
