"""Writes ROWS new submitted disbursements for the items of an exported template folder, as
the disbursements template (English keys), each numbered after its item's existing rows, in
five currencies, dated in 2026 (open in the demo data, and not in the future). Used by
benches/transaction_import.sh; standard library only.

    python3 transaction_import.py EXPORTED_FOLDER ROWS OUT.csv
"""
import csv
import random
import sys

src, rows, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(f"{src}/items.csv", encoding="utf-8-sig") as f:
    items = [r[0] for r in list(csv.reader(f))[1:]]
last = {}
with open(f"{src}/disbursements.csv", encoding="utf-8-sig") as f:
    for r in list(csv.reader(f))[1:]:
        code, num = r[0].rsplit("/D", 1)
        last[code] = max(last.get(code, 0), int(num))
rnd = random.Random(2026)
currencies = ["USD", "EUR", "VND", "JPY", "KRW"]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["ref", "amount", "currency", "value_date", "tranche", "status"])
    for i in range(rows):
        code = items[i % len(items)]
        last[code] = last.get(code, 0) + 1
        c = currencies[i % len(currencies)]
        whole = rnd.randint(1, 10**6)
        amount = f"{whole}" if c in ("VND", "JPY", "KRW") else f"{whole}.{rnd.randint(0, 99):02d}"
        date = f"2026-{rnd.randint(1, 11):02d}-{rnd.randint(1, 28):02d}"
        w.writerow([f"{code}/D{last[code]}", amount, c, date, "", "submitted"])
