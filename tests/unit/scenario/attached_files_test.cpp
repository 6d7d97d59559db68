// SPDX-License-Identifier: Apache-2.0
// CSV files a scenario names: found relative to the scenario, parsed into tables or checked as
// edge lists, and every problem reported with the scenario location and the CSV's own line.
#include "test_support.hpp"

#include <commons/models/register_models.hpp>
#include <commons/scenario/loader.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace commons::scenario {
namespace {

namespace fs = std::filesystem;

// The decisions file is named on line 8, column 18 of the scenario this writes.
constexpr std::string_view scripted_scenario = R"(name: scripted
resource: {model: cpr_quadratic, production_linear: 23, production_quadratic: 0.25, endowment: 25}
agents:
  - group: lab
    count: 8
    behaviour:
      model: scripted
      decisions: d.csv
steps: 3
)";

// The edge list is named on line 10, column 9.
constexpr std::string_view edge_list_scenario = R"(name: linked
resource: {model: cpr_quadratic, production_linear: 23, production_quadratic: 0.25, endowment: 25}
agents:
  - group: lab
    count: 4
    behaviour: {model: cooperative}
steps: 3
network:
  model: edge_list
  file: e.csv
)";

// A model's parameters that declare a table (x-table in their schema): the spatial fishery's
// grounds, named on line 2, column 87, and routes, column 102.
constexpr std::string_view tables_scenario = R"(name: grounds
resource: {model: fishery_spatial, growth_rate: 0.5, carrying_capacity: 100, grounds: g.csv, routes: r.csv, catchability: 0.1}
agents:
  - group: boats
    count: 2
    behaviour: {model: fixed, effort: 1}
steps: 3
)";

class CsvFile : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) / ("commons_csv_" + std::to_string(::getpid()) + "_" +
                                           testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
  }
  // Writes the scenario and its decisions file; returns the scenario's path.
  fs::path scripted(const std::string& csv) const {
    write("s.yaml", std::string(scripted_scenario));
    write("d.csv", csv);
    return dir_ / "s.yaml";
  }
  fs::path linked(const std::string& csv) const {
    write("s.yaml", std::string(edge_list_scenario));
    write("e.csv", csv);
    return dir_ / "s.yaml";
  }
  fs::path grounds(const std::string& grounds_csv, const std::string& routes_csv) const {
    write("s.yaml", std::string(tables_scenario));
    write("g.csv", grounds_csv);
    write("r.csv", routes_csv);
    return dir_ / "s.yaml";
  }
  static std::string error_of(const fs::path& scenario, const sim::Registry* registry = nullptr) {
    try {
      static_cast<void>(load_scenario_file(scenario, {}, registry));
    } catch (const ScenarioError& error) {
      return error.what();
    }
    return "";
  }
  static const sim::Table& decisions(const sim::ScenarioSpec& spec) {
    return spec.groups.at(0).behaviours.at(0).behaviour.parameters.table("decisions");
  }
  // "<scenario>:8:18: /agents/0/behaviour/decisions: " + message
  std::string at_decisions(const std::string& message) const {
    return (dir_ / "s.yaml").string() + ":8:18: /agents/0/behaviour/decisions: " + message;
  }
  std::string at_edges(const std::string& message) const {
    return (dir_ / "s.yaml").string() + ":10:9: /network/file: " + message;
  }

  std::string at_key(const std::string& key, int column, const std::string& message) const {
    return (dir_ / "s.yaml").string() + ":2:" + std::to_string(column) + ": /resource/" + key + ": " + message;
  }

  fs::path dir_;
};

TEST_F(CsvFile, CrlfBomCommentsAndSpaces_AreAccepted) {
  const auto spec = load_scenario_file(scripted("\xEF\xBB\xBFstep, agent ,effort\r\n# first round\r\n\r\n0,0, 2.5\r\n  0,1,+3\r\n"));
  const sim::Table& table = decisions(spec);
  EXPECT_EQ(table.columns, (std::vector<std::string>{"step", "agent", "effort"}));
  EXPECT_EQ(table.rows, (std::vector<std::vector<double>>{{0, 0, 2.5}, {0, 1, 3}}));
  EXPECT_EQ(table.lines, (std::vector<std::size_t>{4, 5}));
  EXPECT_EQ(table.source, "d.csv");
}

TEST_F(CsvFile, ColumnsInAnyOrder_AreKeptInFileOrder) {
  const auto spec = load_scenario_file(scripted("effort,pledge,agent,step\n4,5,1,2"));
  EXPECT_EQ(decisions(spec).columns, (std::vector<std::string>{"effort", "pledge", "agent", "step"}));
  EXPECT_EQ(decisions(spec).rows, (std::vector<std::vector<double>>{{4, 5, 1, 2}}));
}

TEST_F(CsvFile, MissingDecisions_SaysWhichFile) {
  write("s.yaml", std::string(scripted_scenario));
  EXPECT_EQ(error_of(dir_ / "s.yaml"), at_decisions("cannot read decisions file 'd.csv': No such file or directory"));
}

TEST_F(CsvFile, DecisionsDirectory_CannotBeRead) {
  write("s.yaml", std::string(scripted_scenario));
  fs::create_directory(dir_ / "d.csv");
  EXPECT_EQ(error_of(dir_ / "s.yaml"), at_decisions("cannot read decisions file 'd.csv': it is a directory"));
}

TEST_F(CsvFile, BinaryDecisions_AreNotText) {
  EXPECT_EQ(error_of(scripted("step,agent,effort\n0,0,\xff\n")),
            at_decisions("cannot read decisions file 'd.csv': it is not a text file: it is not valid UTF-8 (at byte "
                         "offset 22)"));
}

TEST_F(CsvFile, MissingColumn_IsNamed) {
  EXPECT_EQ(error_of(scripted("step,effort\n0,1\n")),
            at_decisions("d.csv:1: the header lacks the column 'agent' (required: step, agent, effort)"));
}

TEST_F(CsvFile, UnknownColumn_SuggestsName) {
  EXPECT_EQ(error_of(scripted("# recorded\nstep,agent,efort\n0,1,2\n")),
            at_decisions("d.csv:2: unknown column \"efort\" in the header; allowed columns: step, agent, effort, "
                         "pledge; did you mean 'effort'?"));
}

TEST_F(CsvFile, DuplicateColumn_IsRejected) {
  EXPECT_EQ(error_of(scripted("step,agent,effort,step\n")),
            at_decisions("d.csv:1: column 'step' appears twice in the header"));
}

TEST_F(CsvFile, WrongFieldCount_IsLocated) {
  EXPECT_EQ(error_of(scripted("step,agent,effort\n0,0,1\n0,1\n")),
            at_decisions("d.csv:3: expected 3 fields as in the header, got 2"));
}

TEST_F(CsvFile, FractionalAgent_IsRejected) {
  EXPECT_EQ(error_of(scripted("step,agent,effort\n0,1.5,1\n")),
            at_decisions("d.csv:2: column 'agent': must be a whole number >= 0 (got 1.5)"));
}

TEST_F(CsvFile, NegativeStep_IsRejected) {
  EXPECT_EQ(error_of(scripted("step,agent,effort\n-1,0,1\n")),
            at_decisions("d.csv:2: column 'step': must be a whole number >= 0 (got -1)"));
}

TEST_F(CsvFile, NegativeEffort_IsRejected) {
  EXPECT_EQ(error_of(scripted("step,agent,effort\n0,0,-2\n")),
            at_decisions("d.csv:2: column 'effort': must be >= 0 (got -2)"));
}

TEST_F(CsvFile, EmptyEffortCell_IsNotNumber) {
  EXPECT_EQ(error_of(scripted("step,agent,effort,pledge\n0,0,,\n")),
            at_decisions("d.csv:2: column 'effort': \"\" is not a number"));
}

TEST_F(CsvFile, NanText_IsNotNumber) {
  EXPECT_EQ(error_of(scripted("step,agent,effort\n0,0,nan\n")),
            at_decisions("d.csv:2: column 'effort': \"nan\" is not a number"));
}

TEST_F(CsvFile, HeaderOnly_HasNoDecisions) {
  EXPECT_EQ(error_of(scripted("step,agent,effort\n")), at_decisions("d.csv:2: no decisions after the header"));
}

TEST_F(CsvFile, OnlyComments_HasNoHeader) {
  EXPECT_EQ(error_of(scripted("# nothing yet\n")),
            at_decisions("d.csv:2: expected a header row naming step, agent, effort; got end of file"));
}

TEST_F(CsvFile, EdgeList_IsCheckedAgainstAgentCount) {
  EXPECT_EQ(error_of(linked("source,target\n0,1\n3,4\n")), at_edges("e.csv:3: node id 4 out of range [0, 4)"));
}

TEST_F(CsvFile, EdgeListWithoutHeader_IsRejected) {
  EXPECT_EQ(error_of(linked("0,1\n")), at_edges("e.csv:1: expected header \"source,target\", got \"0,1\""));
}

TEST_F(CsvFile, MissingEdgeList_SaysWhichFile) {
  write("s.yaml", std::string(edge_list_scenario));
  EXPECT_EQ(error_of(dir_ / "s.yaml"), at_edges("cannot read edge list file 'e.csv': No such file or directory"));
}

TEST_F(CsvFile, EdgeListText_ReachesSpec) {
  const auto spec = load_scenario_file(linked("source,target\n0,1\n1,2\n"));
  EXPECT_EQ(spec.network.generator.parameters.text("text"), "source,target\n0,1\n1,2\n");
  EXPECT_EQ(spec.network.generator.parameters.text("file"), "e.csv");
}

TEST_F(CsvFile, OverridePath_IsLocatedInArgument) {
  write("s.yaml", std::string(scripted_scenario));
  const std::vector<Override> changes{parse_override("agents.0.behaviour.decisions=missing.csv")};
  try {
    static_cast<void>(load_scenario_file(dir_ / "s.yaml", changes));
    ADD_FAILURE() << "loaded";
  } catch (const ScenarioError& error) {
    EXPECT_STREQ(error.what(),
                 "--set:1:20: /agents/0/behaviour/decisions: cannot read decisions file 'missing.csv': No such file or "
                 "directory");
  }
}

TEST_F(CsvFile, TextScenario_ReadsRelativeToCurrentDirectory) {
  write("d.csv", "step,agent,effort\n0,0,1\n");
  const auto previous = fs::current_path();
  fs::current_path(dir_);
  std::string error;
  try {
    static_cast<void>(load_scenario_text(scripted_scenario, "memory.yaml"));
  } catch (const ScenarioError& problem) {
    error = problem.what();
  }
  fs::current_path(previous);
  EXPECT_EQ(error, "");
}

TEST_F(CsvFile, DeclaredTables_ReachTheSpecAndTheResults) {
  const auto spec =
      load_scenario_file(grounds("id,carrying_capacity\n# the lagoon\n1,40\n0,60\n", "from,to,length\n0,1,2.5\n"));
  const sim::Table& table = spec.resource.parameters.table("grounds");
  EXPECT_EQ(table.columns, (std::vector<std::string>{"id", "carrying_capacity"}));
  EXPECT_EQ(table.rows, (std::vector<std::vector<double>>{{1, 40}, {0, 60}}));
  EXPECT_EQ(table.lines, (std::vector<std::size_t>{3, 4}));
  EXPECT_EQ(table.source, "g.csv");
  EXPECT_EQ(spec.resource.parameters.table("routes").rows, (std::vector<std::vector<double>>{{0, 1, 2.5}}));
  ASSERT_EQ(spec.attachments.size(), 2U);
  EXPECT_EQ(spec.attachments[0].pointer, "/resource/grounds");
  EXPECT_EQ(spec.attachments[1].pointer, "/resource/routes");
}

TEST_F(CsvFile, DeclaredTable_UnknownColumnSuggestsTheDeclaredName) {
  EXPECT_EQ(error_of(grounds("id,carying_capacity\n0,1\n", "from,to,length\n")),
            at_key("grounds", 87,
                   "g.csv:1: unknown column \"carying_capacity\" in the header; allowed columns: id, x, y, "
                   "carrying_capacity, initial_stock, growth_rate; did you mean 'carrying_capacity'?"));
}

TEST_F(CsvFile, DeclaredTable_MissingRequiredColumn_BadCell_NoRows) {
  EXPECT_EQ(error_of(grounds("id\n0\n1\n", "from,to\n0,1\n")),
            at_key("routes", 102, "r.csv:1: the header lacks the column 'length' (required: from, to, length)"));
  EXPECT_EQ(error_of(grounds("id,growth_rate\n0,0.5\n1,fast\n", "from,to,length\n0,1,1\n")),
            at_key("grounds", 87, "g.csv:3: column 'growth_rate': \"fast\" is not a number"));
  EXPECT_EQ(error_of(grounds("id\n0\n1\n", "from,to,length\n")),
            at_key("routes", 102, "r.csv:2: no rows after the header"));
}

TEST_F(CsvFile, DeclaredTable_TheModelsOwnChecks_AtTheKeyWithTheFilesLine) {
  // Ground 2 does not exist: the resource says so when the loader builds it (preflight).
  EXPECT_EQ(error_of(grounds("id\n0\n1\n", "from,to,length\n0,1,1\n1,2,1\n"), &models::default_registry()),
            at_key("routes", 102, "r.csv:3: column 'to': no ground 2 in g.csv (its ids run 0..1)"));
}

}  // namespace
}  // namespace commons::scenario
