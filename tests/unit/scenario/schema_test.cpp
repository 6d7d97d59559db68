// SPDX-License-Identifier: Apache-2.0
// The schema compiled for one document (Schema::compiled_for) leaves out the if/then branches
// that apply nowhere in it. valijson must find exactly what it finds with the whole schema: the
// same verdict and the same errors, in the same order, on every bundled scenario, every broken
// fixture and every scenario with one model or rule name swapped for another.

#include "document.hpp"
#include "schema.hpp"
#include "schema_messages.hpp"
#include "yaml_reader.hpp"

#include <commons/scenario/loader.hpp>
#include <commons/scenario/scenario_error.hpp>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace commons::scenario::detail {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> yaml_files(const fs::path& root) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// The document of `file` as validate() sees it (scalars typed by the schema), or as read when
/// typing already fails; nothing when it is not YAML the strict profile reads.
std::optional<Document> document_of(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  std::stringstream text;
  text << stream.rdbuf();
  const std::string source = text.str();
  Document document;
  document.sources.push_back(file.string());
  try {
    auto root = read_yaml(YamlSource{source, 0, 1}, "", document);
    if (!root || !root->is_object()) return std::nullopt;
    document.root = std::move(*root);
  } catch (const ScenarioError&) {
    return std::nullopt;
  }
  try {
    prepare(document);
  } catch (const ScenarioError&) {
  }
  return document;
}

/// valijson's verdict and every error it reports, one line each.
std::vector<std::string> verdict(const valijson::Schema& schema, const Json& root) {
  const nlohmann::json plain = to_plain(root);
  valijson::Validator validator;
  valijson::ValidationResults results;
  const valijson::adapters::NlohmannJsonAdapter adapter(plain);
  std::vector<std::string> lines{validator.validate(schema, adapter, &results) ? "valid" : "invalid"};
  for (const auto& error : results) {
    std::string line;
    for (const std::string& part : error.context) line += part;
    lines.push_back(line + ": " + error.description);
  }
  return lines;
}

/// Whether the compilation for `root` left something out; fails when the verdicts differ.
bool expect_same_verdict(const Json& root, const std::string& what) {
  const Schema& schema = Schema::scenario();
  const auto pruned = schema.compiled_for(root);
  const auto whole = schema.compiled_whole();
  EXPECT_EQ(verdict(*pruned, root), verdict(*whole, root)) << what;
  return pruned != whole;
}

/// Every string in `node` equal to `from` replaced by `to`.
void replace_text(Json& node, const std::string& from, const std::string& to) {
  if (node.is_string() && node.get_ref<const std::string&>() == from) {
    node = to;
  } else if (node.is_structured()) {
    for (Json& member : node) replace_text(member, from, to);
  }
}

/// `schema` without every description that is text (a property named "description" is a schema).
void drop_descriptions(Json& schema) {
  if (schema.is_object() && schema.contains("description") && schema.at("description").is_string()) {
    schema.erase("description");
  }
  if (schema.is_structured()) {
    for (Json& member : schema) drop_descriptions(member);
  }
}

TEST(LeanSchema, IsTheSchemaWithoutItsDescriptions) {
  Json whole = Json::parse(scenario_schema_text());
  drop_descriptions(whole);
  const Json lean = Json::parse(lean_schema_text());
  EXPECT_EQ(lean, whole);
  // In the same order, which the defaults the loader fills in follow.
  EXPECT_EQ(lean.dump(), whole.dump());
  EXPECT_TRUE(lean.at("properties").contains("description"));
}

TEST(SchemaForDocument, BundledAndBrokenScenarios_ValidateAsWithTheWholeSchema) {
  std::size_t documents = 0;
  std::size_t pruned = 0;
  for (const fs::path& root : {fs::path(COMMONS_SOURCE_DIR) / "scenarios", fs::path(COMMONS_SCENARIO_TEST_DIR)}) {
    for (const fs::path& file : yaml_files(root)) {
      const std::optional<Document> document = document_of(file);
      if (!document) continue;
      pruned += expect_same_verdict(document->root, file.string()) ? 1 : 0;
      ++documents;
    }
  }
  // The bundled scenarios and most fixtures are read (a path gone wrong would read none), and
  // every one of them names only some of the models.
  EXPECT_GT(documents, 100U);
  EXPECT_EQ(pruned, documents);
}

TEST(SchemaForDocument, ModelOrRuleNameSwapped_ValidatesAsWithTheWholeSchema) {
  // Every name the schema's if/then branches ask for (models, rules), each once, in the
  // schema's order: a name's successor is mostly another of its kind.
  std::vector<std::string> names;
  for (const Schema::Branch& branch : Schema::scenario().branches()) {
    if (std::find(names.begin(), names.end(), branch.text) == names.end()) names.push_back(branch.text);
  }
  ASSERT_GT(names.size(), 20U);
  std::size_t swapped = 0;
  for (const fs::path& file : yaml_files(fs::path(COMMONS_SOURCE_DIR) / "scenarios")) {
    const std::optional<Document> document = document_of(file);
    if (!document) continue;
    const std::string text = document->root.dump();
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (text.find('"' + names[i] + '"') == std::string::npos) continue;
      const std::string& other = names[(i + 1) % names.size()];
      Json changed = document->root;
      replace_text(changed, names[i], other);
      expect_same_verdict(changed, file.string() + " with " + names[i] + " as " + other);
      ++swapped;
    }
  }
  EXPECT_GT(swapped, 20U);
}

}  // namespace
}  // namespace commons::scenario::detail
