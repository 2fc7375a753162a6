#!/usr/bin/python3
"""Generates Winnow's synthetic PII evaluation text with known spans.

Every entity is built here from its definition (Luhn, ISO 7064 mod-97, Verhoeff, Base58Check with
SHA-256, Bech32, the national-id check digits), independently of the C++ validators, so a bug on
either side shows up as a recall miss. Sentences mix entities with distractors that must NOT be
detected (prices, dates, ISBNs, versions, UUIDs, git hashes, order ids, numbers failing checksums).

Output: one case per line in the eval markup (see README.md): entities as [[TYPE:value]], "\\n"
for a newline inside a value. Deterministic for a given --seed (Python's random.Random).

  /usr/bin/python3 assets/pii_eval/generate.py --seed 1 --count 1500 > assets/pii_eval/generated.txt
"""
import argparse
import base64
import hashlib
import json
import random
import string
import sys

R = random.Random(1)

# ---------------------------------------------------------------- check digits


def luhn_check_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # rightmost body digit gets doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(s):
    total = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


VERHOEFF_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
              [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
              [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
              [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
VERHOEFF_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
              [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
              [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_check_digit(body):
    c = 0
    for i, ch in enumerate(reversed(body)):
        c = VERHOEFF_D[c][VERHOEFF_P[(i + 1) % 8][int(ch)]]
    return str(VERHOEFF_INV[c])


def digits(n):
    return "".join(R.choice(string.digits) for _ in range(n))


def group(s, sizes, sep):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(out)

# ---------------------------------------------------------------- entities


def email():
    first = R.choice(["john", "maria", "li.wei", "a.smith", "jp", "olga_k", "sam+news", "d.o'neil".replace("'", ""),
                      "contact", "noreply", "x99", "fatima.z", "k.tanaka", "renee"])
    dom = R.choice(["example.com", "mail.example.org", "uni-bonn.de", "corp.co.uk", "gmail.com", "proton.me",
                    "example.museum", "startup.io", "health.gov.au", "shop.example.travel"])
    return first + str(R.randint(0, 99) if R.random() < 0.3 else "") + "@" + dom


def phone():
    k = R.randrange(6)
    area = str(R.randint(2, 9)) + digits(1) + str(R.randint(2, 9))
    while area[1:] == "11":
        area = str(R.randint(2, 9)) + digits(2)
    exch = str(R.randint(2, 9)) + digits(2)
    while exch[1:] == "11":
        exch = str(R.randint(2, 9)) + digits(2)
    line = digits(4)
    if k == 0:
        return f"({area}) {exch}-{line}"
    if k == 1:
        return f"{area}-{exch}-{line}"
    if k == 2:
        return f"+1 {area} {exch} {line}"
    if k == 3:
        return "+44 20 " + digits(4) + " " + digits(4)
    if k == 4:
        return "+49 30 " + digits(8)
    return "+33 6 " + " ".join(digits(2) for _ in range(4))


CARD_PREFIXES = [("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15), ("6011", 16),
                 ("3530", 16), ("4", 13)]


def card():
    pre, n = R.choice(CARD_PREFIXES)
    body = pre + digits(n - len(pre) - 1)
    num = body + luhn_check_digit(body)
    assert luhn_ok(num)
    style = R.randrange(3)
    if style == 0:
        return num
    sep = " " if style == 1 else "-"
    if n == 15:
        return group(num, [4, 6, 5], sep)
    return group(num, [4, 4, 4, 4], sep)


IBAN_SHAPES = {"DE": (22, "n"), "GB": (22, "GB"), "FR": (27, "n"), "NL": (18, "NL"), "ES": (24, "n"),
               "IT": (27, "IT"), "BE": (16, "n"), "PL": (28, "n")}


def iban():
    cc = R.choice(sorted(IBAN_SHAPES))
    length, kind = IBAN_SHAPES[cc]
    if kind == "GB":
        bban = "".join(R.choice(string.ascii_uppercase) for _ in range(4)) + digits(14)
    elif kind == "NL":
        bban = "".join(R.choice(string.ascii_uppercase) for _ in range(4)) + digits(10)
    elif kind == "IT":
        bban = R.choice(string.ascii_uppercase) + digits(22)
    else:
        bban = digits(length - 4)
    rearranged = bban + cc + "00"
    num = int("".join(str(int(c, 36)) for c in rearranged))
    check = 98 - num % 97
    s = cc + f"{check:02d}" + bban
    if R.random() < 0.5:
        s = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    return s


def ssn():
    area = R.randint(1, 899)
    while area == 666:
        area = R.randint(1, 899)
    return f"{area:03d}-{R.randint(1, 99):02d}-{R.randint(1, 9999):04d}"


def ipv4():
    while True:
        a = [R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)]
        if a[0] not in (10, 127, 172, 192, 169):
            return ".".join(map(str, a))


def ipv6():
    groups = ["%x" % R.randint(0, 0xffff) for _ in range(8)]
    groups[0] = "2001"
    groups[1] = "db8"
    if R.random() < 0.5:
        return "2001:db8::" + "%x" % R.randint(1, 0xffff)
    return ":".join(groups)


def mac():
    b = [R.randint(0, 255) for _ in range(6)]
    b[0] = b[0] | 0x0a  # at least one hex letter in the first byte keeps the dashed form unambiguous
    sep = R.choice([":", "-"])
    return sep.join("%02X" % x for x in b)


def rand_alnum(n, alphabet=string.ascii_letters + string.digits):
    return "".join(R.choice(alphabet) for _ in range(n))


def url_credentials():
    user = R.choice(["admin", "deploy", "bob", "svc_backup"])
    pw = rand_alnum(R.randint(8, 16))
    return user + ":" + pw  # the labelled span; the URL is built around it


def aws_key_id():
    return R.choice(["AKIA", "ASIA"]) + rand_alnum(16, string.ascii_uppercase + string.digits)


def aws_secret():
    return rand_alnum(40, string.ascii_letters + string.digits + "/+")


def github():
    return R.choice(["ghp_", "gho_", "ghs_"]) + rand_alnum(36)


def gitlab():
    return "glpat-" + rand_alnum(20)


def slack():
    return R.choice(["xoxb-", "xoxp-"]) + digits(12) + "-" + digits(12) + "-" + rand_alnum(24)


def stripe():
    return R.choice(["sk_live_", "sk_test_", "rk_live_"]) + rand_alnum(24)


def openai():
    return R.choice(["sk-", "sk-proj-"]) + rand_alnum(48)


def anthropic():
    return "sk-ant-api03-" + rand_alnum(93, string.ascii_letters + string.digits + "_-") + "AA"


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt():
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"sub": digits(8), "name": "x", "iat": R.randint(10**9, 2 * 10**9)}).encode())
    return header + "." + payload + "." + b64url(bytes(R.randrange(256) for _ in range(32)))


def pem():
    body = base64.b64encode(bytes(R.randrange(256) for _ in range(96))).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    kind = R.choice(["RSA ", "", "EC ", "OPENSSH "])
    return f"-----BEGIN {kind}PRIVATE KEY-----\\n" + "\\n".join(lines) + f"\\n-----END {kind}PRIVATE KEY-----"


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check(version, payload):
    raw = bytes([version]) + payload
    raw += hashlib.sha256(hashlib.sha256(raw).digest()).digest()[:4]
    n = int.from_bytes(raw, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    pad = len(raw) - len(raw.lstrip(b"\0"))
    return "1" * pad + out


BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bech32_polymod(values):
    gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1ffffff) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((b >> i) & 1) else 0
    return chk


def bech32_address(witver, prog):
    data = [witver]
    acc, bits = 0, 0
    for b in prog:
        acc = (acc << 8) | b
        bits += 8
        while bits >= 5:
            bits -= 5
            data.append((acc >> bits) & 31)
    if bits:
        data.append((acc << (5 - bits)) & 31)
    hrp = "bc"
    const = 1 if witver == 0 else 0x2bc830a3
    values = [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp] + data
    pm = bech32_polymod(values + [0] * 6) ^ const
    checksum = [(pm >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH[d] for d in data + checksum)


def bitcoin():
    k = R.randrange(3)
    if k == 0:
        return base58check(0, bytes(R.randrange(256) for _ in range(20)))
    if k == 1:
        return base58check(5, bytes(R.randrange(256) for _ in range(20)))
    return bech32_address(R.choice([0, 1]), bytes(R.randrange(256) for _ in range(20 if R.random() < 0.5 else 32)))


def nhs():
    while True:
        body = digits(9)
        s = sum(int(d) * (10 - i) for i, d in enumerate(body))
        c = 11 - s % 11
        if c == 11:
            c = 0
        if c != 10:
            v = body + str(c)
            return group(v, [3, 3, 4], " ") if R.random() < 0.7 else v


NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def nif():
    n = R.randint(10**6, 10**8 - 1)
    return f"{n:08d}" + NIF_LETTERS[n % 23]


def nie():
    lead = R.randrange(3)
    rest = R.randint(0, 10**7 - 1)
    return "XYZ"[lead] + f"{rest:07d}" + NIF_LETTERS[int(str(lead) + f"{rest:07d}") % 23]


def aadhaar():
    body = str(R.randint(2, 9)) + digits(10)
    v = body + verhoeff_check_digit(body)
    return group(v, [4, 4, 4], " ") if R.random() < 0.7 else v


def pesel():
    while True:
        year = R.randint(1930, 2015)
        month = R.randint(1, 12)
        day = R.randint(1, 28)
        mm = month + (20 if year >= 2000 else 0)
        body = f"{year % 100:02d}{mm:02d}{day:02d}" + digits(4)
        w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
        c = (10 - sum(int(d) * w[i] for i, d in enumerate(body)) % 10) % 10
        return body + str(c)


def abn():
    w = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]
    while True:
        rest = digits(9)
        # Choose the two leading digits so that the weighted sum is a multiple of 89.
        for lead in range(10, 100):
            v = str(lead) + rest
            d = [int(x) for x in v]
            d[0] -= 1
            if sum(a * b for a, b in zip(d, w)) % 89 == 0:
                return group(v, [2, 3, 3, 3], " ") if R.random() < 0.7 else v


def tfn():
    w = [1, 4, 3, 7, 5, 8, 6, 9, 10]
    while True:
        v = digits(9)
        if v[0] != "0" and sum(int(x) * w[i] for i, x in enumerate(v)) % 11 == 0:
            return group(v, [3, 3, 3], " ")


def sin():
    while True:
        body = str(R.choice([1, 2, 3, 4, 5, 6, 7, 9])) + digits(7)
        v = body + luhn_check_digit(body)
        return group(v, [3, 3, 3], R.choice([" ", "-"]))


def de_tax_id():
    while True:
        first10 = str(R.randint(1, 9)) + digits(9)
        counts = [first10.count(str(d)) for d in range(10)]
        if max(counts) > 3 or sum(1 for c in counts if c >= 2) != 1:
            continue
        product = 10
        for ch in first10:
            s = (int(ch) + product) % 10
            if s == 0:
                s = 10
            product = (s * 2) % 11
        check = 11 - product
        if check == 10:
            check = 0
        return first10 + str(check)

# ---------------------------------------------------------------- distractors (must not be detected)


def uuid():
    h = "".join(R.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def bad_luhn_card():
    body = "4" + digits(14)
    good = luhn_check_digit(body)
    bad = str((int(good) + R.randint(1, 9)) % 10)
    return group(body + bad, [4, 4, 4, 4], R.choice([" ", "-", ""]))


def isbn13():
    body = "978" + digits(9)
    s = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    v = body + str((10 - s % 10) % 10)
    return R.choice([v, f"{v[:3]}-{v[3]}-{v[4:6]}-{v[6:12]}-{v[12]}"])


DISTRACTORS = [
    lambda: f"${R.randint(1, 99)},{R.randint(100, 999)}.{R.randint(10, 99)}",
    lambda: f"{R.randint(1990, 2030)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}",
    lambda: f"{R.randint(1, 28):02d}/{R.randint(1, 12):02d}/{R.randint(1990, 2030)}",
    lambda: f"{R.randint(1, 28):02d}.{R.randint(1, 12):02d}.{R.randint(1990, 2030)}",
    lambda: f"v{R.randint(0, 20)}.{R.randint(0, 30)}.{R.randint(0, 99)}",
    lambda: f"version {R.randint(1, 9)}.{R.randint(0, 9)}.{R.randint(0, 9)}.{R.randint(0, 999)}",
    uuid,
    lambda: "".join(R.choice("0123456789abcdef") for _ in range(40)),
    lambda: "".join(R.choice("0123456789abcdef") for _ in range(7)),
    lambda: f"ORD-{R.randint(2019, 2026)}-{digits(6)}",
    lambda: f"#{R.randint(10**8, 10**9 - 1)}",
    lambda: f"invoice {R.randint(10**9, 10**10 - 1)}",
    bad_luhn_card,
    isbn13,
    lambda: f"{R.randint(1, 999):,}".replace(",", " ") + " km",
    lambda: f"{R.randint(10**6, 10**9):,} people",
    lambda: f"{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}",
    lambda: f"std::vector<int> v({R.randint(1, 99)});",
    lambda: f"tracking 1Z{rand_alnum(6, string.ascii_uppercase + string.digits)}{digits(10)}",
    lambda: f"{R.randint(1000, 9999)} {R.randint(1000, 9999)}",
    lambda: f"page {R.randint(1, 999)} of {R.randint(1000, 5000)}",
    lambda: f"sku {digits(12)}",
]

# ---------------------------------------------------------------- templates


def M(kind, value):
    return f"[[{kind}:{value}]]"


TEMPLATES = [
    ("EMAIL", email, ["Please write to {} if the order is late.", "Contact: {}", "cc {} and the team",
                      "My address is {}."]),
    ("PHONE", phone, ["Call me at {} tomorrow.", "Phone: {}", "You can reach the office on {} after 9.",
                      "mobile {}"]),
    ("CREDIT_CARD", card, ["Card number {} exp 04/27", "I paid with {} yesterday.", "visa: {}"]),
    ("IBAN", iban, ["Send the refund to IBAN {} please.", "Bank account {}", "IBAN: {}"]),
    ("US_SSN", ssn, ["My SSN is {}.", "SSN {} on file", "social security number {}"]),
    ("IPV4", ipv4, ["The request came from {} at noon.", "server ip {}", "blocked host {}"]),
    ("IPV6", ipv6, ["Connect to {} on port 443.", "client address {}"]),
    ("MAC", mac, ["The device MAC is {}.", "hwaddr {}"]),
    ("AWS_ACCESS_KEY", aws_key_id, ["aws_access_key_id = {}", "key id {} leaked"]),
    ("GITHUB_TOKEN", github, ["export GITHUB_TOKEN={}", "token: {}"]),
    ("GITLAB_TOKEN", gitlab, ["use {} for the CI", "PRIVATE-TOKEN: {}"]),
    ("SLACK_TOKEN", slack, ["SLACK_BOT_TOKEN={}", "slack token {}"]),
    ("STRIPE_KEY", stripe, ["stripe.api_key = \"{}\"", "key {}"]),
    ("OPENAI_KEY", openai, ["OPENAI_API_KEY={}", "my key is {} don't share"]),
    ("ANTHROPIC_KEY", anthropic, ["ANTHROPIC_API_KEY={}", "client = Anthropic(api_key=\"{}\")"]),
    ("JWT", jwt, ["Authorization: Bearer {}", "the token {} expired"]),
    ("PRIVATE_KEY", pem, ["Here is my key:\\n{}\\nthanks", "{}"]),
    ("BITCOIN", bitcoin, ["Send BTC to {}", "donations: {}"]),
    ("UK_NHS", nhs, ["NHS number {}", "Patient NHS no: {}"]),
    ("ES_NIF", nif, ["DNI {}", "NIF: {}"]),
    ("ES_NIE", nie, ["NIE {}", "mi NIE es {}"]),
    ("IN_AADHAAR", aadhaar, ["Aadhaar {}", "aadhaar number: {}"]),
    ("PL_PESEL", pesel, ["PESEL {}", "numer PESEL: {}"]),
    ("AU_ABN", abn, ["ABN {}", "Our ABN is {}."]),
    ("AU_TFN", tfn, ["TFN {}", "tax file number {}"]),
    ("CA_SIN", sin, ["SIN {}", "social insurance number: {}"]),
    ("DE_TAX_ID", de_tax_id, ["Steuer-ID {}", "Steuerliche IdNr: {}"]),
]



def one_case():
    parts = []
    n = R.randint(1, 3)
    for _ in range(n):
        r = R.random()
        if r < 0.06:
            parts.append("aws_secret_access_key = " + M("AWS_SECRET_KEY", aws_secret()))
        elif r < 0.12:
            scheme = R.choice(["https", "postgres", "mongodb+srv", "ftp"])
            parts.append(f"DATABASE_URL={scheme}://{M('URL_CREDENTIALS', url_credentials())}@db.example.com:5432/app")
        elif r < 0.72:
            kind, fn, tmpls = R.choice(TEMPLATES)
            parts.append(R.choice(tmpls).format(M(kind, fn())))
        else:
            d = R.choice(DISTRACTORS)()
            parts.append(R.choice(["Ref {} noted.", "See {} for details.", "{}", "It was {} in total.",
                                   "Updated to {} last week."]).format(d))
    return " ".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=1500)
    args = ap.parse_args()
    R.seed(args.seed)
    out = sys.stdout
    out.write(f"# generated by assets/pii_eval/generate.py --seed {args.seed} --count {args.count}\n")
    for _ in range(args.count):
        out.write(one_case() + "\n")


if __name__ == "__main__":
    main()
