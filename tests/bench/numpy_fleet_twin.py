#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The fleet fishery of `commons run` written as a competent NumPy user writes it: the yardstick
of issue 13's whole-process target (docs/performance.md#whole-runs).

The model is the one of models/resources/fishery_logistic.cpp and models/behaviour/fleet.cpp,
one group, no noise, no rules, one tick a step (docs/models.md#fishery_logistic):
  stock recorded at the start of the step X, catch per unit of effort q X
  harvest     h_i = q X E_i, cut in proportion when their sum H exceeds X
  income      y_i = p h_i - c E_i, summed into each agent's cumulative income
  learning    E_i <- min(cap, max(0, E_i + eta (p q X - c) E_i))
  growth      X <- max(0, X - H + r X (1 - X / K))
Every per-agent quantity `commons run` keeps for these outputs is an array updated in place; the
file holds the stock series and the summary values commons computes from the same state (the
final effort, harvest and rent, the discounted rent and the equity of cumulative incomes).

  /usr/bin/python3 tests/bench/numpy_fleet_twin.py --agents 1000000 --steps 100 -o twin.h5
"""

import argparse

import h5py
import numpy as np


def parse_arguments():
    # The defaults are scenarios/teaching/open_access_fishery.yaml without its noise.
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--growth-rate", type=float, default=0.5)
    parser.add_argument("--carrying-capacity", type=float, default=1000.0)
    parser.add_argument("--catchability", type=float, default=0.01)
    parser.add_argument("--initial-stock", type=float, default=1000.0)
    parser.add_argument("--price", type=float, default=10.0)
    parser.add_argument("--cost-per-effort", type=float, default=25.0)
    parser.add_argument("--discount-rate", type=float, default=0.05)
    parser.add_argument("--initial-effort", type=float, default=0.25)
    parser.add_argument("--adjustment-rate", type=float, default=0.0005)
    parser.add_argument("--max-effort", type=float, default=10.0)
    parser.add_argument("-o", "--output", required=True)
    return parser.parse_args()


def gini(values):
    """Gini coefficient as commons computes it: NaN unless the values sum to more than 0."""
    ordered = np.sort(values)
    n = ordered.size
    total = ordered.sum()
    if n == 0 or not total > 0.0:
        return float("nan")
    weights = np.arange(1 - n, n + 1, 2, dtype=np.float64)
    return float(np.dot(weights, ordered) / (n * total))


def simulate(a):
    r, k, q = a.growth_rate, a.carrying_capacity, a.catchability
    p, c, eta, cap = a.price, a.cost_per_effort, a.adjustment_rate, a.max_effort
    effort = np.full(a.agents, min(a.initial_effort, cap))
    harvest = np.empty(a.agents)
    income = np.empty(a.agents)
    cumulative = np.zeros(a.agents)
    stock = a.initial_stock
    stocks = np.empty(a.steps)
    rents = np.empty(a.steps)
    total_effort = total_harvest = 0.0
    for t in range(a.steps):
        stocks[t] = stock
        per_effort = q * stock
        np.multiply(effort, per_effort, out=harvest)
        total_harvest = harvest.sum()
        if total_harvest > stock:
            harvest *= stock / total_harvest
            total_harvest = min(harvest.sum(), stock)
        total_effort = effort.sum()
        np.multiply(harvest, p, out=income)
        income -= c * effort
        rents[t] = income.sum()
        cumulative += income
        effort += (eta * (p * per_effort - c)) * effort
        np.clip(effort, 0.0, cap, out=effort)
        stock = max(0.0, max(0.0, stock - total_harvest) + r * stock * (1.0 - stock / k))
    discount = (1.0 + a.discount_rate) ** -np.arange(a.steps, dtype=np.float64)
    summary = {
        "final_stock": stock,
        "final_effort": total_effort,
        "final_harvest": total_harvest,
        "final_rent": rents[-1] if a.steps else float("nan"),
        "discounted_rent": float(np.dot(discount, rents)),
        "equity": 1.0 - gini(cumulative),
    }
    return stocks, summary


def main():
    arguments = parse_arguments()
    stocks, summary = simulate(arguments)
    with h5py.File(arguments.output, "w") as results:
        results.create_dataset("series/stock", data=stocks)
        for name, value in summary.items():
            results.create_dataset("summary/" + name, data=value)


if __name__ == "__main__":
    main()
