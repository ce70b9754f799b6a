"""Draw a seeded sample of old mainnet contracts from a SmartBugs Wild git mirror, for judging
inspector's findings by hand (tests/data/*/era-judgements.json). Prints the sample as JSON.

    python3 bench/era_sample.py GIT_DIR [SEED] [EXCLUDED_JUDGEMENTS.json]...

The held-out sample (tests/data/heldout/era-judgements.json) is seed 20261201 excluding the dev
sample: python3 bench/era_sample.py <smartbugs-wild .git> 20261201 tests/data/corpus/era-judgements.json
"""
import json, random, re, subprocess, sys
GIT = sys.argv[1]
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 20261201
QUOTA = {"proxy": 4, "multisig": 3, "any": 13}
MAX_LINES = 1000
excluded = {s["source"].rsplit("/", 1)[1][:-4].lower() for path in sys.argv[3:] for s in json.load(open(path))["sampled"]}
names = subprocess.run(["git", f"--git-dir={GIT}", "ls-tree", "-r", "--name-only", "HEAD", "contracts/"],
                       capture_output=True, text=True, check=True).stdout.split()
names = sorted(n for n in names if n.endswith(".sol"))
random.Random(SEED).shuffle(names)
PRAGMA = re.compile(r"pragma\s+solidity\s*([^;]*);")
def version(text):
    m = PRAGMA.search(text)
    if not m: return None
    v = re.search(r"0\.(\d+)\.(\d+)", m.group(1))
    return (m.group(1).strip(), (int(v.group(1)), int(v.group(2)))) if v else None
def kind(text):
    if "delegatecall" in text and re.search(r"upgradeTo|implementation", text): return "proxy"
    if re.search(r"confirmTransaction|isConfirmed|required\s*=", text) and re.search(r"owners", text) and "isOwner" in text: return "multisig"
    token = re.search(r"function\s+transfer\s*\(", text) and "balanceOf" in text
    ownable = re.search(r"modifier\s+only(Owner|Admin)", text) or "transferOwnership" in text
    return "token" if token else "ownable" if ownable else None
taken = {k: [] for k in QUOTA}
cat = subprocess.Popen(["git", f"--git-dir={GIT}", "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
for name in names:
    address = name.rsplit("/", 1)[1][:-4].lower()
    if address in excluded: continue
    cat.stdin.write(f"HEAD:{name}\n".encode()); cat.stdin.flush()
    header = cat.stdout.readline().split()
    body = cat.stdout.read(int(header[2])); cat.stdout.read(1)
    text = body.decode("utf-8", "replace")
    v = version(text)
    if not v or not ((0, 4) <= (v[1][0], 0) and ((v[1][0] == 4 and v[1][1] >= 24) or v[1][0] == 5)): continue
    if text.count("\n") > MAX_LINES: continue
    k = kind(text)
    if not k: continue
    bucket = k if k in ("proxy", "multisig") and len(taken[k]) < QUOTA[k] else "any"
    if len(taken[bucket]) >= QUOTA[bucket]: continue
    taken[bucket].append({"source": f"smartbugs/smartbugs-wild:{name}", "address": address, "pragma": v[0], "kind": k})
    if all(len(taken[b]) >= QUOTA[b] for b in QUOTA): break
json.dump(taken, sys.stdout, indent=1)
