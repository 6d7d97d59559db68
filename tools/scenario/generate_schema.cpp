// SPDX-License-Identifier: Apache-2.0
// Build-time tool: writes the scenario JSON Schema, the scenario format's own keys completed from
// the models' descriptors, and its lean form, which the loader parses at every start.
// Usage: commons_generate_schema FORMAT_SCHEMA OUTPUT LEAN_OUTPUT
// Each output is written to a temporary file and renamed, and left alone when unchanged, so that
// a build never sees half a schema and does not recompile the loader for nothing.
#include <commons/models/register_models.hpp>
#include <commons/scenario/schema_generator.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write(const std::filesystem::path& output, const std::string& text) {
  if (std::filesystem::exists(output) && read(output) == text) return;
  const std::filesystem::path temporary = output.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + temporary.string());
  }
  std::filesystem::rename(temporary, output);
}

// `schema` without the descriptions of its keys, which only editors and readers show: half the
// text the loader would parse at every start. A property named "description" (the scenario's
// own key) is a schema, an object, and stays.
void drop_descriptions(nlohmann::ordered_json& schema) {
  if (schema.is_object()) {
    if (const auto description = schema.find("description");
        description != schema.end() && description->is_string()) {
      schema.erase(description);
    }
  }
  if (schema.is_structured()) {
    for (nlohmann::ordered_json& member : schema) drop_descriptions(member);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: commons_generate_schema FORMAT_SCHEMA OUTPUT LEAN_OUTPUT\n";
    return 2;
  }
  try {
    const std::string schema =
        commons::scenario::generate_scenario_schema(commons::models::default_registry(), read(argv[1]));
    write(argv[2], schema);
    auto lean = nlohmann::ordered_json::parse(schema);
    drop_descriptions(lean);
    // One value a line: embed_schema.cmake cuts the text at line ends.
    write(argv[3], lean.dump(0) + "\n");
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "commons_generate_schema: " << error.what() << "\n";
    return 1;
  }
}
