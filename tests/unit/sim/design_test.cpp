// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/design.hpp>

#include <boost/math/distributions/normal.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace commons::sim {
namespace {

// Runs `f` and returns the message of the std::invalid_argument it throws ("" if none).
template <typename F>
std::string invalid_argument_message(F f) {
  try {
    f();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

bool same_bits(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::equal(a.data(), a.data() + a.size(), b.data());
}

TEST(DesignUniformIndex, Values_AreBelowNAndFirstOfUniformIndices) {
  const RandomStream random(5, 6);
  std::vector<std::uint64_t> many(9);
  uniform_indices(random, 7, 3, 4, Purpose::choose, many);
  EXPECT_EQ(many[0], uniform_index(random, 7, 3, 4, Purpose::choose));
  for (const std::uint64_t value : many) EXPECT_LT(value, 7u);
  EXPECT_EQ(uniform_index(random, 1, 0, 0, Purpose::choose), 0u);
  EXPECT_EQ(invalid_argument_message([&] { (void)uniform_index(random, 0, 0, 0, Purpose::choose); }),
            "uniform_indices: n must be at least 1");
}

TEST(DesignUniformIndex, Counts_AreUniformWithinBinomialError) {
  // 30 000 draws in [0, 3): each count is Binomial(30000, 1/3), SD 81.6; 5 SD = 408.
  const RandomStream random(11, 0);
  std::vector<std::uint64_t> draws(30000);
  uniform_indices(random, 3, 0, 0, Purpose::choose, draws);
  std::vector<int> counts(3);
  for (const std::uint64_t value : draws) ++counts[value];
  for (const int count : counts) EXPECT_NEAR(count, 10000, 408);
}

TEST(DesignLatinHypercube, EveryColumn_HasOnePointPerStratum) {
  const std::size_t n = 50;
  const Eigen::MatrixXd design = latin_hypercube(n, 4, 123);
  ASSERT_EQ(design.rows(), 50);
  ASSERT_EQ(design.cols(), 4);
  for (Eigen::Index c = 0; c < design.cols(); ++c) {
    std::vector<int> hits(n);
    for (Eigen::Index r = 0; r < design.rows(); ++r) {
      const double u = design(r, c);
      ASSERT_GT(u, 0.0);
      ASSERT_LT(u, 1.0);
      ++hits[static_cast<std::size_t>(std::floor(u * static_cast<double>(n)))];
    }
    EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), static_cast<std::ptrdiff_t>(n)) << "column " << c;
  }
}

TEST(DesignLatinHypercube, Columns_AreNotInStratumOrder) {
  // The permutations are random: two columns sharing their stratum order in all 50 rows would
  // happen with probability 1/50!.
  const Eigen::MatrixXd design = latin_hypercube(50, 2, 123);
  int same = 0;
  for (Eigen::Index r = 0; r < 50; ++r) same += std::floor(design(r, 0) * 50) == std::floor(design(r, 1) * 50);
  EXPECT_LT(same, 50);
}

TEST(DesignLatinHypercube, SameSeed_SameBits_OtherSeed_OtherPoints) {
  EXPECT_TRUE(same_bits(latin_hypercube(20, 3, 9), latin_hypercube(20, 3, 9)));
  EXPECT_FALSE(same_bits(latin_hypercube(20, 3, 9), latin_hypercube(20, 3, 10)));
}

TEST(DesignLatinHypercube, NoPointsOrFactors_Throws) {
  EXPECT_EQ(invalid_argument_message([] { (void)latin_hypercube(0, 2, 1); }),
            "latin_hypercube: points must be at least 1");
  EXPECT_EQ(invalid_argument_message([] { (void)latin_hypercube(2, 0, 1); }),
            "latin_hypercube: factors must be at least 1");
}

TEST(DesignSobol, FirstPoints_MatchPublishedTwoDimensionalSequence) {
  // The 2-D Sobol sequence in Gray-code order, without its leading zero point (Boost.Random's
  // documentation; also Antonov & Saleev): dimension 1 is van der Corput's sequence. Dyadic
  // rationals, so exact.
  const double expected[7][2] = {{0.5, 0.5},     {0.75, 0.25},  {0.25, 0.75},  {0.375, 0.375},
                                 {0.875, 0.875}, {0.625, 0.125}, {0.125, 0.625}};
  const Eigen::MatrixXd design = sobol_sequence(7, 2);
  for (Eigen::Index r = 0; r < 7; ++r) {
    EXPECT_EQ(design(r, 0), expected[r][0]) << "row " << r;
    EXPECT_EQ(design(r, 1), expected[r][1]) << "row " << r;
  }
}

TEST(DesignSobol, MorePointsOrSkip_KeepEarlierPoints) {
  const Eigen::MatrixXd long_run = sobol_sequence(100, 5);
  EXPECT_TRUE(same_bits(sobol_sequence(60, 5), long_run.topRows(60)));
  EXPECT_TRUE(same_bits(sobol_sequence(40, 5, 60), long_run.bottomRows(40)));
  EXPECT_TRUE(same_bits(sobol_sequence(1, 5, 99), long_run.bottomRows(1)));
}

TEST(DesignSobol, FirstTwoToTheMMinusOnePoints_FillEveryStratumButTheZeroOne) {
  // The first 2^m points of the full sequence put one point in each [s, s + 1) / 2^m; the zero
  // point, dropped, owned s = 0. So the 63 returned points fill s = 1..63 once each.
  const Eigen::MatrixXd design = sobol_sequence(63, 8);
  for (Eigen::Index c = 0; c < design.cols(); ++c) {
    std::vector<int> hits(64);
    for (Eigen::Index r = 0; r < design.rows(); ++r) ++hits[static_cast<std::size_t>(design(r, c) * 64)];
    EXPECT_EQ(hits[0], 0) << "column " << c;
    EXPECT_EQ(std::count(hits.begin() + 1, hits.end(), 1), 63) << "column " << c;
  }
}

TEST(DesignSobol, DimensionLimit_IsBoostsTable) {
  EXPECT_EQ(sobol_sequence(1, sobol_max_dimension).cols(), static_cast<Eigen::Index>(sobol_max_dimension));
  EXPECT_EQ(invalid_argument_message([] { (void)sobol_sequence(1, sobol_max_dimension + 1); }),
            "sobol_sequence: 3668 factors exceed the 3667 dimensions of Boost.Random's Sobol table");
  EXPECT_EQ(invalid_argument_message([] { (void)saltelli(1, 1834); }),
            "saltelli: 1834 factors need 3668 Sobol dimensions, more than the 3667 available");
}

TEST(DesignSaltelli, Rows_AreGroupedByBaseSampleAsLayoutSays) {
  const std::size_t n = 8;
  const std::size_t k = 3;
  const SaltelliDesign design = saltelli(n, k);
  const Eigen::MatrixXd base = sobol_sequence(n, 2 * k);
  ASSERT_EQ(design.layout.rows(), n * (k + 2));
  ASSERT_EQ(design.points.rows(), static_cast<Eigen::Index>(n * (k + 2)));
  for (std::size_t j = 0; j < n; ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    const auto a = base.row(jj).head(3);
    const auto b = base.row(jj).tail(3);
    EXPECT_EQ(design.layout.row_a(j), j * 5);
    EXPECT_EQ(design.layout.row_b(j), j * 5 + 4);
    EXPECT_TRUE(design.points.row(static_cast<Eigen::Index>(j * 5)) == a);
    EXPECT_TRUE(design.points.row(static_cast<Eigen::Index>(j * 5 + 4)) == b);
    for (std::size_t i = 0; i < k; ++i) {
      ASSERT_EQ(design.layout.row_ab(j, i), j * 5 + 1 + i);
      Eigen::RowVectorXd expected = a;
      expected(static_cast<Eigen::Index>(i)) = b(static_cast<Eigen::Index>(i));
      EXPECT_TRUE(design.points.row(static_cast<Eigen::Index>(j * 5 + 1 + i)) == expected) << j << ' ' << i;
    }
  }
}

TEST(DesignSaltelli, RowMeaning_InvertsRowIndices) {
  const SaltelliLayout layout{6, 4};
  for (std::size_t j = 0; j < 6; ++j) {
    EXPECT_EQ(layout.row(layout.row_a(j)).block, SaltelliLayout::Block::a);
    EXPECT_EQ(layout.row(layout.row_a(j)).base_sample, j);
    EXPECT_EQ(layout.row(layout.row_b(j)).block, SaltelliLayout::Block::b);
    EXPECT_EQ(layout.row(layout.row_b(j)).base_sample, j);
    for (std::size_t i = 0; i < 4; ++i) {
      const SaltelliLayout::Row row = layout.row(layout.row_ab(j, i));
      EXPECT_EQ(row.block, SaltelliLayout::Block::ab);
      EXPECT_EQ(row.base_sample, j);
      EXPECT_EQ(row.factor, i);
    }
  }
}

TEST(DesignSaltelli, MoreBaseSamples_AppendGroups) {
  const SaltelliDesign small = saltelli(4, 3);
  const SaltelliDesign large = saltelli(10, 3);
  EXPECT_TRUE(same_bits(small.points, large.points.topRows(small.points.rows())));
}

TEST(DesignMorris, Trajectories_MoveOneFactorByDeltaOnTheGrid) {
  const std::size_t r = 30;
  const std::size_t k = 5;
  const std::size_t p = 6;
  const MorrisDesign design = morris(r, k, p, 77);
  ASSERT_EQ(design.points.rows(), static_cast<Eigen::Index>(r * (k + 1)));
  ASSERT_EQ(design.points.cols(), static_cast<Eigen::Index>(k));
  ASSERT_EQ(design.steps.size(), r * k);
  EXPECT_DOUBLE_EQ(design.delta, 6.0 / 10.0);
  // Grid values are l / 5; differences of two of them are within a few ulps of exact.
  const double tolerance = 1e-12;
  for (std::size_t t = 0; t < r; ++t) {
    std::vector<int> moves(k);
    for (std::size_t s = 0; s < k; ++s) {
      const auto before = design.points.row(static_cast<Eigen::Index>(design.row(t, s)));
      const auto after = design.points.row(static_cast<Eigen::Index>(design.row(t, s + 1)));
      const MorrisStep& step = design.step(t, s);
      ++moves[step.factor];
      for (std::size_t i = 0; i < k; ++i) {
        const double change = after(static_cast<Eigen::Index>(i)) - before(static_cast<Eigen::Index>(i));
        if (i == step.factor) {
          EXPECT_NEAR(change, step.direction * design.delta, tolerance) << t << ' ' << s;
        } else {
          EXPECT_EQ(change, 0.0) << t << ' ' << s;
        }
      }
    }
    EXPECT_EQ(std::count(moves.begin(), moves.end(), 1), static_cast<std::ptrdiff_t>(k)) << "trajectory " << t;
  }
  for (Eigen::Index i = 0; i < design.points.size(); ++i) {
    const double level = design.points.data()[i] * static_cast<double>(p - 1);
    EXPECT_NEAR(level, std::round(level), tolerance);
    EXPECT_GE(design.points.data()[i], 0.0);
    EXPECT_LE(design.points.data()[i], 1.0);
  }
}

TEST(DesignMorris, ManyTrajectories_VisitEveryLevelAndBothDirections) {
  const MorrisDesign design = morris(200, 3, 4, 5);
  for (Eigen::Index c = 0; c < 3; ++c) {
    std::vector<int> visits(4);
    for (Eigen::Index r = 0; r < design.points.rows(); ++r) ++visits[static_cast<std::size_t>(std::lround(design.points(r, c) * 3))];
    for (const int count : visits) EXPECT_GT(count, 0) << "column " << c;
  }
  const auto ups = std::count_if(design.steps.begin(), design.steps.end(), [](const MorrisStep& s) { return s.direction > 0; });
  EXPECT_GT(ups, 0);
  EXPECT_LT(ups, static_cast<std::ptrdiff_t>(design.steps.size()));
}

TEST(DesignMorris, SameSeed_SameBits) {
  const MorrisDesign a = morris(10, 4, 4, 3);
  const MorrisDesign b = morris(10, 4, 4, 3);
  EXPECT_TRUE(same_bits(a.points, b.points));
  EXPECT_FALSE(same_bits(a.points, morris(10, 4, 4, 4).points));
}

TEST(DesignMorris, OddOrTooFewLevels_Throw) {
  EXPECT_EQ(invalid_argument_message([] { (void)morris(2, 2, 5, 1); }),
            "morris: levels must be even and at least 2 (got 5)");
  EXPECT_EQ(invalid_argument_message([] { (void)morris(2, 2, 0, 1); }),
            "morris: levels must be even and at least 2 (got 0)");
  EXPECT_EQ(invalid_argument_message([] { (void)morris(0, 2, 4, 1); }), "morris: trajectories must be at least 1");
}

TEST(DesignDistribution, Quantiles_AtKnownPoints) {
  EXPECT_DOUBLE_EQ(FactorDistribution::uniform(2, 6).value(0.25), 3.0);
  EXPECT_DOUBLE_EQ(FactorDistribution::uniform(2, 6).value(1.0), 6.0);
  EXPECT_NEAR(FactorDistribution::log_uniform(1, 100).value(0.5), 10.0, 1e-13);
  EXPECT_DOUBLE_EQ(FactorDistribution::log_uniform(1, 100).value(1.0), 100.0);
  // z_0.975 = 1.959963984540054 (standard normal table).
  EXPECT_NEAR(FactorDistribution::normal(10, 2).value(0.975), 10 + 2 * 1.959963984540054, 1e-12);
  EXPECT_NEAR(FactorDistribution::normal(10, 2, 8, 12).value(0.5), 10.0, 1e-12);
  EXPECT_DOUBLE_EQ(FactorDistribution::normal(10, 2, 8, 12).value(0.0), 8.0);
  EXPECT_DOUBLE_EQ(FactorDistribution::normal(10, 2, 8, 12).value(1.0), 12.0);
  // Triangular on [0, 2], mode 1: symmetric, median 1. Mode 0 on [0, 1]: Q(u) = 1 - sqrt(1 - u).
  EXPECT_DOUBLE_EQ(FactorDistribution::triangular(0, 1, 2).value(0.5), 1.0);
  EXPECT_NEAR(FactorDistribution::triangular(0, 0, 1).value(0.75), 0.5, 1e-15);
  const FactorDistribution four = FactorDistribution::discrete(4);
  EXPECT_EQ(four.value(0.0), 0.0);
  EXPECT_EQ(four.value(0.2499), 0.0);
  EXPECT_EQ(four.value(0.25), 1.0);
  EXPECT_EQ(four.value(0.99), 3.0);
  EXPECT_EQ(four.value(1.0), 3.0);
}

TEST(DesignDistribution, NormalTruncatedFarInTheUpperTail_KeepsPrecision) {
  // On [8, 9] sd, 1 - Phi(8) = 6e-16: computed as Phi(8) the interval would hold no mass. The
  // median m splits the upper-tail mass: Q(m) = (Q(8) + Q(9)) / 2, Q = 1 - Phi; relative
  // accuracy 1e-9 is far coarser than double precision and far finer than a cancelled result.
  const FactorDistribution far = FactorDistribution::normal(0, 1, 8, 9);
  const double median = far.value(0.5);
  const boost::math::normal_distribution<double> standard;
  const double upper_8 = boost::math::cdf(boost::math::complement(standard, 8.0));
  const double upper_9 = boost::math::cdf(boost::math::complement(standard, 9.0));
  EXPECT_GT(median, 8.0);
  EXPECT_LT(median, 9.0);
  EXPECT_NEAR(boost::math::cdf(boost::math::complement(standard, median)) / ((upper_8 + upper_9) / 2), 1.0, 1e-9);
}

TEST(DesignDistribution, InvalidParameters_ThrowNamingTheProblem) {
  EXPECT_EQ(invalid_argument_message([] { (void)FactorDistribution::uniform(1, 1); }),
            "uniform: low must be below high (got low = 1, high = 1)");
  EXPECT_EQ(invalid_argument_message([] { (void)FactorDistribution::log_uniform(0, 1); }),
            "log_uniform: low must be positive (got low = 0)");
  EXPECT_EQ(invalid_argument_message([] { (void)FactorDistribution::normal(0, 0); }),
            "normal: sd must be positive and finite (got sd = 0)");
  EXPECT_EQ(invalid_argument_message([] { (void)FactorDistribution::normal(0, 1, 2, -2); }),
            "truncated normal: low must be below high (got low = 2, high = -2)");
  EXPECT_EQ(invalid_argument_message([] { (void)FactorDistribution::triangular(0, 3, 2); }),
            "triangular: mode must lie in [low, high] (got low = 0, mode = 3, high = 2)");
  EXPECT_EQ(invalid_argument_message([] { (void)FactorDistribution::discrete(0); }),
            "discrete: count must be at least 1");
  EXPECT_EQ(invalid_argument_message([] { (void)FactorDistribution::normal(0, 1).value(0.0); }),
            "normal: u = 0 or 1 maps to infinity; truncate the distribution or use a design in (0, 1) (got u = 0)");
  EXPECT_EQ(invalid_argument_message([] { (void)FactorDistribution::uniform(0, 1).value(1.5); }),
            "FactorDistribution::value: u must lie in [0, 1] (got u = 1.5)");
  EXPECT_FALSE(invalid_argument_message([] { (void)FactorDistribution::uniform(0, 1).value(std::nan("")); }).empty());
}

TEST(DesignDistribution, ToValues_MapsEachColumnThroughItsFactor) {
  Eigen::MatrixXd unit(2, 2);
  unit << 0.25, 0.5, 0.75, 1.0;
  const std::vector<FactorDistribution> factors{FactorDistribution::uniform(0, 4),
                                                FactorDistribution::discrete(3)};
  const Eigen::MatrixXd values = to_values(unit, factors);
  EXPECT_EQ(values(0, 0), 1.0);
  EXPECT_EQ(values(1, 0), 3.0);
  EXPECT_EQ(values(0, 1), 1.0);
  EXPECT_EQ(values(1, 1), 2.0);
  EXPECT_EQ(invalid_argument_message([&] { (void)to_values(unit, std::span(factors).first(1)); }),
            "to_values: the design has 2 columns but 1 distributions were given");
}

}  // namespace
}  // namespace commons::sim
