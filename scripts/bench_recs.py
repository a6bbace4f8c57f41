"""The recommendation benchmark's Python side (`make bench-recs` runs it).

1. Build time: implicit end to end on the big order history (pandas reads the CSV, a
   scipy sparse customer x product matrix, CosineRecommender and BM25Recommender fit
   with K=50 neighbours like ours), beside ours from `recs_bench` (read + parse + build).
2. Quality: on the small history, the same split as `comeback_recs::evaluate` (each
   customer with two orders or more loses their last order by created_at then
   order_id), recall@10 and NDCG@10 over all held-out products and over new ones (never
   bought before, history excluded from the list) for baselines: global popularity,
   personal buy-again frequency (filled with popularity), implicit cosine, BM25 and ALS.
"""

import argparse
import json
import math
import os
import resource
import time
import warnings

# implicit's ALS asks for single-threaded BLAS (it parallelises itself).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
warnings.filterwarnings("ignore", module="implicit")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy.sparse as sparse  # noqa: E402
from implicit.als import AlternatingLeastSquares  # noqa: E402
from implicit.nearest_neighbours import BM25Recommender, CosineRecommender, bm25_weight  # noqa: E402

K = 10


def read(path):
    return pd.read_csv(
        path,
        usecols=["customer_id", "order_id", "product_id", "created_at"],
        dtype={"customer_id": "category", "order_id": str, "product_id": "category", "created_at": np.int64},
    )


def matrix(frame, users, items):
    """Customers x products, the number of lines of each pair."""
    rows = frame["customer_id"].cat.set_categories(users).cat.codes.to_numpy()
    cols = frame["product_id"].cat.set_categories(items).cat.codes.to_numpy()
    keep = (rows >= 0) & (cols >= 0)
    data = np.ones(int(keep.sum()), dtype=np.float32)
    m = sparse.coo_matrix((data, (rows[keep], cols[keep])), shape=(len(users), len(items)))
    return m.tocsr()


def time_implicit(path, repeat=3):
    """The fastest of `repeat` runs of each, as for ours (the machine may be shared)."""
    times = {}
    for name, recommender in (("cosine", CosineRecommender), ("bm25", BM25Recommender)):
        for _ in range(repeat):
            started = time.perf_counter()
            frame = read(path)
            users = frame["customer_id"].cat.categories
            items = frame["product_id"].cat.categories
            user_items = matrix(frame, users, items)
            recommender(K=50).fit(user_items, show_progress=False)
            times[name] = min(times.get(name, math.inf), time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return times, peak


class Split:
    """The held-out last orders and the training lines, as `evaluate` makes them."""

    def __init__(self, path):
        frame = read(path)
        orders = frame.groupby(["customer_id", "order_id"], observed=True)["created_at"].max().reset_index()
        counts = orders.groupby("customer_id", observed=True)["order_id"].transform("size")
        orders = orders[counts >= 2].sort_values(["customer_id", "created_at", "order_id"])
        last = orders.groupby("customer_id", observed=True).tail(1)
        held_keys = set(zip(last["customer_id"].astype(str), last["order_id"]))
        key = list(zip(frame["customer_id"].astype(str), frame["order_id"]))
        is_held = np.fromiter((k in held_keys for k in key), dtype=bool, count=len(key))
        self.train = frame[~is_held]
        held = frame[is_held]
        self.now = int(self.train["created_at"].max())
        self.users = self.train["customer_id"].astype(str).unique()
        self.items = self.train["product_id"].astype(str).unique()
        self.user_index = {u: i for i, u in enumerate(self.users)}
        self.user_items = matrix(
            self.train.assign(
                customer_id=self.train["customer_id"].astype(str).astype("category"),
                product_id=self.train["product_id"].astype(str).astype("category"),
            ),
            pd.Index(self.users),
            pd.Index(self.items),
        )
        self.held = held.groupby(held["customer_id"].astype(str))["product_id"].apply(lambda s: set(s.astype(str)))
        train_hist = self.train[self.train["customer_id"].astype(str).isin(self.held.index)]
        self.history = train_hist.groupby(train_hist["customer_id"].astype(str))["product_id"].apply(
            lambda s: set(s.astype(str))
        )
        self.customers = sorted(self.held.index)


def metrics(lists, split):
    """Mean recall and NDCG over all held-out products and over new ones."""
    sums = {"all": [0.0, 0.0, 0], "new": [0.0, 0.0, 0]}
    for customer in split.customers:
        held = split.held[customer]
        history = split.history.get(customer, set())
        for part, relevant in (("all", held), ("new", held - history)):
            if not relevant:
                continue
            ranked = lists[part](customer)[:K]
            hits = [rank for rank, product in enumerate(ranked) if product in relevant]
            dcg = sum(1 / math.log2(rank + 2) for rank in hits)
            ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), K)))
            sums[part][0] += len(hits) / len(relevant)
            sums[part][1] += dcg / ideal
            sums[part][2] += 1
    return {part: (s[0] / max(s[2], 1), s[1] / max(s[2], 1)) for part, s in sums.items()}


def baselines(split):
    results = {}
    train = split.train.assign(customer_id=split.train["customer_id"].astype(str), product_id=split.train["product_id"].astype(str))
    buyers = train.groupby("product_id")["customer_id"].nunique()
    units = train.groupby("product_id").size()
    popular = (
        pd.DataFrame({"buyers": buyers, "units": units}).sort_values(["buyers", "units"], ascending=False).index.tolist()
    )

    def top_popular(exclude):
        out = []
        for product in popular:
            if product not in exclude:
                out.append(product)
                if len(out) == K:
                    break
        return out

    results["popularity"] = metrics(
        {"all": lambda c: top_popular(()), "new": lambda c: top_popular(split.history.get(c, set()))}, split
    )

    per_customer = (
        train[train["customer_id"].isin(split.held.index)]
        .groupby(["customer_id", "product_id"])
        .agg(orders=("order_id", "nunique"), last=("created_at", "max"))
        .reset_index()
        .sort_values(["customer_id", "orders", "last"], ascending=[True, False, False])
    )
    frequent = per_customer.groupby("customer_id")["product_id"].apply(list)

    def buy_again(customer):
        mine = frequent.get(customer, [])[:K]
        return mine + top_popular(set(mine))[: K - len(mine)]

    results["buy-again frequency"] = metrics(
        {"all": buy_again, "new": lambda c: top_popular(split.history.get(c, set()))}, split
    )

    ids = np.array([split.user_index[c] for c in split.customers])
    weighted = bm25_weight(split.user_items, K1=100, B=0.8).tocsr().astype(np.float32)
    models = {
        "implicit cosine": (CosineRecommender(K=50), split.user_items),
        "implicit bm25": (BM25Recommender(K=50), split.user_items),
        "implicit als": (AlternatingLeastSquares(factors=64, iterations=15, regularization=0.05, random_state=1), weighted),
    }
    for name, (model, items) in models.items():
        model.fit(items, show_progress=False)
        lists = {}
        for part, filter_liked in (("all", False), ("new", True)):
            ranked, _ = model.recommend(ids, items[ids], N=K, filter_already_liked_items=filter_liked)
            lists[part] = {c: [split.items[i] for i in row if i >= 0] for c, row in zip(split.customers, ranked)}
        results[name] = metrics({"all": lists["all"].get, "new": lists["new"].get}, split)
    return results


def together_by(split, unit):
    """also-bought recall@10 and NDCG@10 with co-occurrence counted over `unit`
    (customer_id or order_id), scored like ours (conditional probability, shrinkage 5),
    seeded by each customer's latest training purchase, over all held-out products."""
    train = split.train.assign(customer_id=split.train["customer_id"].astype(str), product_id=split.train["product_id"].astype(str))
    units = train[unit].astype("category")
    items = train["product_id"].astype("category")
    x = sparse.coo_matrix(
        (np.ones(len(train), dtype=np.float32), (units.cat.codes.to_numpy(), items.cat.codes.to_numpy()))
    ).tocsr()
    x.data[:] = 1.0
    x.sum_duplicates()
    x.data[:] = 1.0
    together = (x.T @ x).tocsr()
    names = items.cat.categories
    index = {name: i for i, name in enumerate(names)}
    seeds = train.sort_values("created_at", kind="stable").groupby("customer_id").tail(1).set_index("customer_id")["product_id"]

    def also_bought(customer):
        seed = index[seeds[customer]]
        row = together.getrow(seed)
        counts = row.data
        score = counts * counts / (counts + 5.0)
        order = np.lexsort((row.indices, -score))
        return [names[row.indices[i]] for i in order if row.indices[i] != seed][:K]

    return metrics({"all": also_bought, "new": lambda c: [p for p in also_bought(c) if p not in split.history.get(c, set())]}, split)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--big", required=True)
    parser.add_argument("--small", required=True)
    parser.add_argument("--ours-build", required=True, help="recs_bench's JSON on the big file")
    parser.add_argument("--ours-quality", required=True, help="recs_bench --evaluate's JSON on the small file, with the catalogue")
    parser.add_argument("--ours-orders-only", help="the same from the orders alone (no catalogue categories)")
    args = parser.parse_args()
    ours_build = json.loads(args.ours_build)
    ours_quality = json.loads(args.ours_quality)
    lines = sum(1 for _ in open(args.big)) - 1

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"{time.strftime('%Y-%m-%d')}, {cpu}, {os.cpu_count()} cores")
    print(f"\nBuild from {lines} order lines (read CSV + parse + model), fastest of 3:")
    times, peak = time_implicit(args.big)
    ours = ours_build["build_seconds"]
    print(f"  comeback-recs           {ours:7.3f} s   peak RSS {ours_build['peak_rss_bytes'] / 2**20:6.0f} MiB")
    for name, seconds in times.items():
        print(f"  implicit {name:<14} {seconds:7.3f} s   ({seconds / ours:.1f}x ours)")
    print(f"  implicit peak RSS (both fits, one process) {peak / 2**20:.0f} MiB")

    split = Split(args.small)
    results = baselines(split)
    print(f"\nQuality on {args.small.split('/')[-1]}: {len(split.customers)} customers, last order held out")
    print(f"  {'':<22} {'recall@10':>10} {'ndcg@10':>10} {'new rec@10':>11} {'new ndcg@10':>12}")
    for kind, scores in ours_quality["kinds"].items():
        a, n = scores["all"], scores["new"]
        print(
            f"  ours {kind:<17} {a['recall_at_10']:10.4f} {a['ndcg_at_10']:10.4f} "
            f"{n['recall_at_10']:11.4f} {n['ndcg_at_10']:12.4f}"
        )
    if args.ours_orders_only:
        for kind in ("for-you", "blend"):
            scores = json.loads(args.ours_orders_only)["kinds"][kind]
            a, n = scores["all"], scores["new"]
            label = f"ours {kind} (orders)"
            print(
                f"  {label:<22} {a['recall_at_10']:10.4f} {a['ndcg_at_10']:10.4f} "
                f"{n['recall_at_10']:11.4f} {n['ndcg_at_10']:12.4f}"
            )
    for name, scores in results.items():
        (ra, na), (rn, nn) = scores["all"], scores["new"]
        print(f"  {name:<22} {ra:10.4f} {na:10.4f} {rn:11.4f} {nn:12.4f}")
    print("\n  also-bought counted over (same scoring, recall@10 all / new):")
    for unit in ("customer_id", "order_id"):
        scores = together_by(split, unit)
        (ra, _), (rn, _) = scores["all"], scores["new"]
        print(f"    {unit:<12} {ra:.4f} / {rn:.4f}")
    best_all = max(scores["all"][0] for scores in results.values())
    best_new = max(scores["new"][0] for scores in results.values())
    blend = ours_quality["kinds"]["blend"]
    print(
        f"\nblend vs best baseline, recall@10: all {blend['all']['recall_at_10']:.4f} vs {best_all:.4f}, "
        f"new {blend['new']['recall_at_10']:.4f} vs {best_new:.4f}"
    )
    if ours_quality["customers"] != len(split.customers):
        print(f"WARNING: ours evaluated {ours_quality['customers']} customers, the baselines {len(split.customers)}")


if __name__ == "__main__":
    main()
