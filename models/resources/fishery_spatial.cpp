// SPDX-License-Identifier: Apache-2.0
#include <commons/models/resources/fishery_spatial.hpp>

#include <commons/models/registration.hpp>
#include <commons/models/resources/common_parameters.hpp>
#include <commons/models/resources/rationed_claims.hpp>
#include <commons/sim/parallel.hpp>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <string>
#include <utility>

namespace commons::models {

namespace {

// Site indices are 32 bits; 20000 x 20000 grounds would already hold 3.2 GB of stocks alone.
constexpr double largest_side = 20000.0;

const std::vector<std::string>& ground_columns() {
  static const std::vector<std::string> columns{"id", "x", "y", "carrying_capacity", "initial_stock", "growth_rate"};
  return columns;
}

const std::vector<std::string>& route_columns() {
  static const std::vector<std::string> columns{"from", "to", "length"};
  return columns;
}

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::resource,
      .name = "fishery_spatial",
      .summary =
          "Fishing grounds on a network (a grid, or grounds and routes read from CSV files), each a Schaefer stock "
          "X + r X (1 - X/K) - H with the boats there catching q E X, rationed so that no ground gives more than it "
          "holds. After growth the fish diffuse along the routes, X <- M X with M = I - (m / W_max) L, L the "
          "Laplacian of the route conductances 1/length: mass is conserved and an even stock stays even. A boat "
          "sails from its home port (boat k from ports[k mod P]) to the ground it fishes and back, paying 2 d "
          "cost_per_distance for the shortest route d.",
      .parameters = {{.name = "rows",
                      .type = sim::ParameterType::integer,
                      .meaning = "Rows of the grid of grounds (the grid generator: 4-neighbour routes)",
                      .unit = "ground",
                      .note = "give rows (a grid) or grounds (a network from files)",
                      .minimum = sim::Bound{1.0},
                      .maximum = sim::Bound{largest_side}},
                     {.name = "columns",
                      .type = sim::ParameterType::integer,
                      .meaning = "Columns of the grid of grounds",
                      .unit = "ground",
                      .note = "default: 1",
                      .minimum = sim::Bound{1.0},
                      .maximum = sim::Bound{largest_side}},
                     number_parameter("edge_length", "Length of a route between neighbouring grounds of the grid",
                                      "distance unit", 1.0, sim::Bound{0.0, true}),
                     table_parameter("grounds",
                                     "CSV file of grounds, relative to the scenario file's directory: a column id "
                                     "(0..N-1, each once) and optionally x, y (not used by the model), "
                                     "carrying_capacity, initial_stock and growth_rate overriding the scalars for that "
                                     "ground",
                                     ground_columns(), {"id"}),
                     table_parameter("routes",
                                     "CSV file of routes between grounds (with grounds): columns from, to (ground ids) "
                                     "and length (> 0); each pair once, in either direction",
                                     route_columns(), route_columns()),
                     growth_rate_parameter("Intrinsic growth rate r of every ground"),
                     positive_parameter("carrying_capacity", "Carrying capacity K of every ground", "t"),
                     positive_parameter("catchability",
                                        "Catchability q: fraction of a ground's stock one unit of effort there catches",
                                        "1/(effort unit * step)"),
                     {.name = "initial_stock",
                      .type = sim::ParameterType::number,
                      .meaning = "Stock of every ground at the start of each run",
                      .unit = "t",
                      .note = "default: each ground's carrying capacity",
                      .minimum = sim::Bound{0.0}},
                     number_parameter("migration",
                                      "Share m of its stock the best-connected ground sends to its neighbours per tick "
                                      "(a ground with total route conductance W sends m W / W_max)",
                                      "1", 0.0, sim::Bound{0.0}, sim::Bound{1.0}),
                     {.name = "ports",
                      .type = sim::ParameterType::integers,
                      .meaning = "Grounds where boats are based: boat k sails from ports[k mod P] and starts there",
                      .unit = "ground",
                      .minimum = sim::Bound{0.0},
                      .default_value = std::vector<double>{0.0},
                      .min_items = 1,
                      .unique_items = true},
                     number_parameter("cost_per_distance",
                                      "What a boat pays per unit of distance sailed; a trip to a ground and back costs "
                                      "2 x the shortest route x this",
                                      "money/distance unit", 0.0, sim::Bound{0.0}),
                     observation_noise_parameter("the stocks"),
                     collapse_fraction_parameter("total stock", "the grounds' total carrying capacity", 0.1)},
      .exactly_one_of = {{"rows", "grounds"}},
      .variables = {{"stock", "resource_unit", "stock of all grounds at the start of the step"},
                    {"growth", "resource_unit", "surplus production of all grounds in the step"},
                    {"migration", "resource_unit", "fish that moved between grounds in the step"}},
      .capabilities = {.sites = true, .trip_costs = true}};
  return described;
}

/// "FILE:LINE: column 'c': message" about data row `row` of `table`.
[[noreturn]] void fail_at(const std::string& key, const sim::Table& table, std::size_t row, const std::string& column,
                          const std::string& message) {
  throw FishingGroundsError(
      key, table.source + ":" + std::to_string(table.lines.at(row)) + ": column '" + column + "': " + message);
}

/// The shortest text that reads back as `value`, as the file would have written it.
std::string number_text(double value) {
  char text[32];
  const auto written = std::to_chars(std::begin(text), std::end(text), value);
  return {std::begin(text), written.ptr};
}

/// The table's columns must be among `allowed` and include `required`.
void check_columns(const std::string& key, const sim::Table& table, const std::vector<std::string>& allowed,
                   const std::vector<std::string>& required) {
  for (const std::string& column : table.columns)
    if (std::find(allowed.begin(), allowed.end(), column) == allowed.end())
      throw FishingGroundsError(key, table.source + ": header: unknown column '" + column + "'");
  for (const std::string& column : required)
    if (table.column(column) == table.columns.size())
      throw FishingGroundsError(key, table.source + ": header: the column '" + column + "' is missing");
}

/// A ground id in column `c` of row `row`: a whole number below `count`.
std::uint32_t ground_id(const std::string& key, const sim::Table& table, std::size_t row, std::size_t c,
                        std::size_t count, const std::string& grounds_file) {
  const double value = table.rows[row][c];
  const std::string& column = table.columns[c];
  if (!(value >= 0.0) || value != std::trunc(value))
    fail_at(key, table, row, column, "a ground id is a whole number >= 0 (got " + number_text(value) + ")");
  if (value >= static_cast<double>(count))
    fail_at(key, table, row, column,
            "no ground " + number_text(value) + " in " + grounds_file + " (its ids run 0.." +
                std::to_string(count - 1) + ")");
  return static_cast<std::uint32_t>(value);
}

}  // namespace

FisherySpatial::Parameters FisherySpatial::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  if (values.contains("rows")) p.rows = static_cast<std::size_t>(values.integer("rows"));
  if (values.contains("columns")) p.columns = static_cast<std::size_t>(values.integer("columns"));
  p.edge_length = values.number_or("edge_length", p.edge_length);
  if (values.contains("grounds")) p.grounds = values.table("grounds");
  if (values.contains("routes")) p.routes = values.table("routes");
  p.growth_rate = values.number("growth_rate");
  p.carrying_capacity = values.number("carrying_capacity");
  p.catchability = values.number("catchability");
  if (values.contains("initial_stock")) p.initial_stock = values.number("initial_stock");
  p.migration = values.number_or("migration", p.migration);
  if (values.contains("ports")) {
    p.ports.clear();
    for (const double port : values.numbers("ports")) p.ports.push_back(static_cast<std::uint32_t>(port));
  }
  p.cost_per_distance = values.number_or("cost_per_distance", p.cost_per_distance);
  p.observation_noise = values.number_or("observation_noise", p.observation_noise);
  p.collapse_fraction = values.number_or("collapse_fraction", p.collapse_fraction);
  return p;
}

FishingGrounds grid_grounds(const FisherySpatial::Parameters& parameters) {
  const std::size_t rows = parameters.rows;
  const std::size_t columns = parameters.columns;
  const std::size_t count = rows * columns;
  FishingGrounds grounds;
  grounds.growth_rate.assign(count, parameters.growth_rate);
  grounds.carrying_capacity.assign(count, parameters.carrying_capacity);
  grounds.initial_stock.assign(count, parameters.initial_stock.value_or(parameters.carrying_capacity));
  for (std::size_t row = 0; row < rows; ++row) {
    for (std::size_t column = 0; column < columns; ++column) {
      const auto ground = static_cast<std::uint32_t>(row * columns + column);
      if (column + 1 < columns) grounds.routes.push_back({ground, ground + 1, parameters.edge_length});
      if (row + 1 < rows)
        grounds.routes.push_back({ground, static_cast<std::uint32_t>(ground + columns), parameters.edge_length});
    }
  }
  return grounds;
}

FishingGrounds table_grounds(const FisherySpatial::Parameters& parameters) {
  const sim::Table& table = parameters.grounds.value();
  check_columns("grounds", table, ground_columns(), {"id"});
  const std::size_t count = table.rows.size();
  if (count == 0) throw FishingGroundsError("grounds", table.source + ": no grounds after the header");
  FishingGrounds grounds;
  grounds.growth_rate.assign(count, parameters.growth_rate);
  grounds.carrying_capacity.assign(count, parameters.carrying_capacity);
  grounds.initial_stock.assign(count, std::numeric_limits<double>::quiet_NaN());
  std::vector<std::size_t> row_of(count, count);
  const std::size_t id_column = table.column("id");
  const std::size_t k_column = table.column("carrying_capacity");
  const std::size_t x0_column = table.column("initial_stock");
  const std::size_t r_column = table.column("growth_rate");
  for (std::size_t row = 0; row < count; ++row) {
    const std::uint32_t id = ground_id("grounds", table, row, id_column, count, table.source);
    if (row_of[id] != count)
      fail_at("grounds", table, row, "id",
              "ground " + std::to_string(id) + " appears twice (first at line " +
                  std::to_string(table.lines[row_of[id]]) + ")");
    row_of[id] = row;
    const std::vector<double>& cells = table.rows[row];
    if (k_column < cells.size()) {
      if (!(cells[k_column] > 0.0))
        fail_at("grounds", table, row, "carrying_capacity", "must be > 0 (got " + number_text(cells[k_column]) + ")");
      grounds.carrying_capacity[id] = cells[k_column];
    }
    if (r_column < cells.size()) {
      if (!(cells[r_column] > 0.0 && cells[r_column] <= 2.0))
        fail_at("grounds", table, row, "growth_rate",
                "must be > 0 and <= 2 (got " + number_text(cells[r_column]) + ")");
      grounds.growth_rate[id] = cells[r_column];
    }
    if (x0_column < cells.size()) {
      if (!(cells[x0_column] >= 0.0))
        fail_at("grounds", table, row, "initial_stock", "must be >= 0 (got " + number_text(cells[x0_column]) + ")");
      grounds.initial_stock[id] = cells[x0_column];
    }
  }
  for (std::size_t id = 0; id < count; ++id)
    if (std::isnan(grounds.initial_stock[id]))
      grounds.initial_stock[id] = parameters.initial_stock.value_or(grounds.carrying_capacity[id]);
  if (!parameters.routes) return grounds;
  const sim::Table& routes = *parameters.routes;
  check_columns("routes", routes, route_columns(), route_columns());
  const std::size_t from_column = routes.column("from");
  const std::size_t to_column = routes.column("to");
  const std::size_t length_column = routes.column("length");
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> seen;
  for (std::size_t row = 0; row < routes.rows.size(); ++row) {
    const std::uint32_t from = ground_id("routes", routes, row, from_column, count, table.source);
    const std::uint32_t to = ground_id("routes", routes, row, to_column, count, table.source);
    if (from == to) fail_at("routes", routes, row, "to", "a route from ground " + std::to_string(from) + " to itself");
    const double length = routes.rows[row][length_column];
    if (!(length > 0.0) || !std::isfinite(length))
      fail_at("routes", routes, row, "length", "must be > 0 (got " + number_text(length) + ")");
    const auto pair = std::minmax(from, to);
    const auto [first, inserted] = seen.emplace(std::pair{pair.first, pair.second}, row);
    if (!inserted)
      fail_at("routes", routes, row, "to",
              "a second route between grounds " + std::to_string(pair.first) + " and " + std::to_string(pair.second) +
                  " (the first at line " + std::to_string(routes.lines[first->second]) + ")");
    grounds.routes.push_back({pair.first, pair.second, length});
  }
  return grounds;
}

namespace {

sim::SiteLayout layout_of(const FisherySpatial::Parameters& parameters, const FishingGrounds& grounds) {
  if (!parameters.grounds) return sim::SiteLayout::grid(parameters.rows, parameters.columns);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  edges.reserve(grounds.routes.size());
  for (const FishingGrounds::Route& route : grounds.routes) edges.emplace_back(route.from, route.to);
  return sim::SiteLayout::graph(grounds.count(), edges);
}

/// M = I - (m / W_max) L over conductances 1/length: symmetric, so an even stock stays even, and
/// each column's diagonal is 1 less the column's other entries, so the fish are conserved.
Eigen::SparseMatrix<double> diffusion_matrix(const FishingGrounds& grounds, double migration) {
  const std::size_t count = grounds.count();
  std::vector<double> conductance(count, 0.0);
  for (const FishingGrounds::Route& route : grounds.routes) {
    conductance[route.from] += 1.0 / route.length;
    conductance[route.to] += 1.0 / route.length;
  }
  const double most = *std::max_element(conductance.begin(), conductance.end());
  std::vector<Eigen::Triplet<double>> entries;
  std::vector<double> leaving(count, 0.0);
  if (migration > 0.0 && most > 0.0) {
    for (const FishingGrounds::Route& route : grounds.routes) {
      const double share = migration * (1.0 / route.length) / most;
      entries.emplace_back(static_cast<int>(route.to), static_cast<int>(route.from), share);
      entries.emplace_back(static_cast<int>(route.from), static_cast<int>(route.to), share);
      leaving[route.from] += share;
      leaving[route.to] += share;
    }
  }
  for (std::size_t g = 0; g < count; ++g)
    entries.emplace_back(static_cast<int>(g), static_cast<int>(g), 1.0 - leaving[g]);
  Eigen::SparseMatrix<double> matrix(static_cast<Eigen::Index>(count), static_cast<Eigen::Index>(count));
  matrix.setFromTriplets(entries.begin(), entries.end());
  matrix.makeCompressed();
  return matrix;
}

/// Shortest sailing distance from each port to each ground (Dijkstra on the routes).
std::vector<double> port_distances(const FishingGrounds& grounds, const std::vector<std::uint32_t>& ports) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                      boost::property<boost::edge_weight_t, double>>;
  Graph graph(grounds.count());
  for (const FishingGrounds::Route& route : grounds.routes) boost::add_edge(route.from, route.to, route.length, graph);
  std::vector<double> distances;
  distances.reserve(ports.size() * grounds.count());
  std::vector<double> from_port(grounds.count());
  for (const std::uint32_t port : ports) {
    boost::dijkstra_shortest_paths(graph, port,
                                   boost::distance_map(boost::make_iterator_property_map(
                                       from_port.begin(), boost::get(boost::vertex_index, graph))));
    distances.insert(distances.end(), from_port.begin(), from_port.end());
  }
  return distances;
}

}  // namespace

FisherySpatial::FisherySpatial(const Parameters& parameters)
    : parameters_(parameters),
      grounds_(parameters.grounds ? table_grounds(parameters) : grid_grounds(parameters)),
      layout_(layout_of(parameters, grounds_)),
      migration_(diffusion_matrix(grounds_, parameters.migration)),
      stock_(grounds_.initial_stock),
      start_(stock_),
      per_effort_(stock_.size()),
      demand_(stock_.size(), 0.0),
      caught_at_(stock_.size(), 0.0),
      moved_(static_cast<Eigen::Index>(stock_.size())) {
  const std::size_t count = grounds_.count();
  if (parameters.ports.empty()) throw FishingGroundsError("ports", "boats need at least one port");
  for (const std::uint32_t port : parameters.ports)
    if (port >= count)
      throw FishingGroundsError("ports", "port " + std::to_string(port) + " is beyond the " + std::to_string(count) +
                                             " grounds (ids run 0.." + std::to_string(count - 1) + ")");
  distance_ = port_distances(grounds_, parameters.ports);
  for (std::size_t p = 0; p < parameters.ports.size(); ++p) {
    for (std::size_t g = 0; g < count; ++g) {
      if (distance_[p * count + g] < std::numeric_limits<double>::max()) continue;
      const std::string where = parameters.routes ? " in " + parameters.routes->source : "";
      throw FishingGroundsError(parameters.grounds ? "routes" : "ports",
                                "no route" + where + " leads from the port at ground " +
                                    std::to_string(parameters.ports[p]) + " to ground " + std::to_string(g));
    }
  }
  for (std::size_t g = 0; g < count; ++g) per_effort_[g] = parameters.catchability * stock_[g];
  stock_at_start_ = stock();
  stock_for_payoffs_ = stock_at_start_;
}

void FisherySpatial::set_stocks(std::span<const double> stocks) {
  if (stocks.size() != stock_.size()) throw std::invalid_argument("set_stocks: one stock per ground");
  std::copy(stocks.begin(), stocks.end(), stock_.begin());
  start_ = stock_;
  for (std::size_t g = 0; g < stock_.size(); ++g) per_effort_[g] = parameters_.catchability * stock_[g];
  stock_at_start_ = stock();
  stock_for_payoffs_ = stock_at_start_;
}

std::span<const double> FisherySpatial::distances_from_port(std::size_t port) const {
  return {distance_.data() + port * grounds_.count(), grounds_.count()};
}

sim::Observation FisherySpatial::observe() const {
  sim::Observation observation;
  observation.stock = stock_for_payoffs_;
  observation.harvest_per_effort = parameters_.catchability * stock_for_payoffs_ / static_cast<double>(stock_.size());
  observation.noise_sd = parameters_.observation_noise;
  observation.site_stock = stock_;
  observation.site_harvest_per_effort = per_effort_;
  return observation;
}

double FisherySpatial::harvest(const sim::Actions& actions, std::span<double> harvest,
                               const sim::ExecutionPolicy& /*policy*/) {
  start_ = stock_;
  growth_in_step_ = 0.0;
  migrated_in_step_ = 0.0;
  ticks_in_step_ = 0;
  stock_at_start_ = stock_for_payoffs_;
  const double q = parameters_.catchability;
  for (std::size_t g = 0; g < stock_.size(); ++g) per_effort_[g] = q * start_[g];
  // As fishery_logistic for one stock: q E X a boat, rationed in proportion where a ground's
  // claims exceed it (rationed_claims.hpp), in agent order so that no thread count changes it.
  caught_ = settle_claims_at(
      actions.effort, actions.site, [this](std::uint32_t ground) { return per_effort_[ground]; }, start_, demand_,
      caught_at_, harvest, [](std::uint32_t /*ground*/) { return true; });
  for (std::size_t g = 0; g < stock_.size(); ++g) stock_[g] = std::max(0.0, start_[g] - caught_at_[g]);
  return caught_;
}

double FisherySpatial::harvest_if(double own_effort, double others_effort) const {
  const double mean_stock = stock_for_payoffs_ / static_cast<double>(stock_.size());
  const double claim = parameters_.catchability * mean_stock * own_effort;
  const double total = parameters_.catchability * mean_stock * (own_effort + others_effort);
  return total > stock_for_payoffs_ && total > 0.0 ? stock_for_payoffs_ * (claim / total) : claim;
}

void FisherySpatial::grow() {
  // The first tick of a step grows from the stock the step started with (the textbook discrete
  // Schaefer form, as fishery_logistic); later ticks from what the earlier ones left.
  const std::vector<double>& from = ticks_in_step_ == 0 ? start_ : stock_;
  double growth = 0.0;
  for (std::size_t g = 0; g < stock_.size(); ++g) {
    const double x = from[g];
    const double surplus = grounds_.growth_rate[g] * x * (1.0 - x / grounds_.carrying_capacity[g]);
    stock_[g] = std::max(0.0, stock_[g] + surplus);
    growth += surplus;
  }
  growth_in_step_ += growth;
  if (parameters_.migration > 0.0) {
    const Eigen::Map<Eigen::VectorXd> stocks(stock_.data(), static_cast<Eigen::Index>(stock_.size()));
    double leaving = 0.0;
    for (Eigen::Index g = 0; g < migration_.outerSize(); ++g) leaving += (1.0 - migration_.coeff(g, g)) * stocks[g];
    moved_.noalias() = migration_ * stocks;
    std::copy(moved_.begin(), moved_.end(), stock_.begin());
    migrated_in_step_ += leaving;
  }
  ++ticks_in_step_;
  const double q = parameters_.catchability;
  for (std::size_t g = 0; g < stock_.size(); ++g) per_effort_[g] = q * stock_[g];
  stock_for_payoffs_ = stock();
}

double FisherySpatial::stock() const {
  double total = 0.0;
  for (const double x : stock_) total += x;
  return total;
}

double FisherySpatial::collapse_threshold() const {
  double capacity = 0.0;
  for (const double k : grounds_.carrying_capacity) capacity += k;
  return parameters_.collapse_fraction * capacity;
}

std::vector<sim::VariableInfo> FisherySpatial::variables() const { return descriptor().variables; }

void FisherySpatial::sample(std::span<double> values) const {
  values[0] = stock_at_start_;
  values[1] = growth_in_step_;
  values[2] = migrated_in_step_;
}

std::vector<std::uint32_t> FisherySpatial::starting_sites(std::size_t agents) const {
  std::vector<std::uint32_t> sites(agents);
  const std::vector<std::uint32_t>& ports = parameters_.ports;
  for (std::size_t k = 0; k < agents; ++k) sites[k] = ports[k % ports.size()];
  return sites;
}

std::optional<sim::TripCosts> FisherySpatial::trip_costs(std::size_t agents) const {
  sim::TripCosts trips;
  trips.site_count = grounds_.count();
  trips.origin_count = parameters_.ports.size();
  trips.origin.resize(agents);
  for (std::size_t k = 0; k < agents; ++k) trips.origin[k] = static_cast<std::uint32_t>(k % trips.origin_count);
  trips.cost.resize(distance_.size());
  // A round trip along the shortest route.
  for (std::size_t i = 0; i < distance_.size(); ++i) trips.cost[i] = 2.0 * distance_[i] * parameters_.cost_per_distance;
  return trips;
}

std::vector<sim::VariableInfo> FisherySpatial::site_variables() const {
  return {{"stock", "resource_unit", "stock of the ground at the start of the step"}};
}

void FisherySpatial::sample_sites(std::span<double> values) const {
  std::copy(start_.begin(), start_.end(), values.begin());
}

COMMONS_REGISTER_MODELS(fishery_spatial) {
  registry.add_resource(descriptor(), [](const sim::ComponentSpec& spec) {
    try {
      return std::make_unique<FisherySpatial>(FisherySpatial::Parameters::from(spec.parameters));
    } catch (const FishingGroundsError& error) {
      throw sim::ComponentError(spec.pointer + "/" + error.key(), error.what());
    }
  });
}

}  // namespace commons::models
