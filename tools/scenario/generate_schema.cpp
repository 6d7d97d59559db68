// SPDX-License-Identifier: Apache-2.0
// Build-time tool: writes the scenario JSON Schema, the scenario format's own keys completed from
// the models' descriptors. Usage: commons_generate_schema FORMAT_SCHEMA OUTPUT
// The output is written to a temporary file and renamed, and left alone when unchanged, so that
// a build never sees half a schema and does not recompile the loader for nothing.
#include <commons/models/register_models.hpp>
#include <commons/scenario/schema_generator.hpp>

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

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: commons_generate_schema FORMAT_SCHEMA OUTPUT\n";
    return 2;
  }
  try {
    const std::filesystem::path output = argv[2];
    const std::string schema =
        commons::scenario::generate_scenario_schema(commons::models::default_registry(), read(argv[1]));
    if (std::filesystem::exists(output) && read(output) == schema) return 0;
    const std::filesystem::path temporary = output.string() + ".tmp";
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out << schema;
      if (!out.flush()) throw std::runtime_error("cannot write " + temporary.string());
    }
    std::filesystem::rename(temporary, output);
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "commons_generate_schema: " << error.what() << "\n";
    return 1;
  }
}
