"""Regenerate xiaoan/accounts/data/common-passwords.txt.gz: the passwords people in Chinese
schools and offices pick most (words, pinyin, names of the product and the sector, keyboard
walks) with the endings they add to pass composition rules.

Run: python3 scripts/make_common_passwords.py"""

import gzip
from pathlib import Path

WORDS = """password passw0rd p@ssword p@ssw0rd admin administrator root test guest user login
welcome hello letmein master monkey dragon qwerty qwertyuiop asdfgh asdfghjkl zxcvbn zxcvbnm
qazwsx qwe asd zxc abc abcd abcde abcdef aaa aa a q w iloveyou love loveyou sunshine princess
football baseball superman batman shadow michael jordan computer internet secret
woaini woaiwojia woainima aini wobuzhidao nihao laopo laogong baobei zhangsan lisi wangwu
zhang wang li liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo
xiaoan anquan xuexiao jiaoyu jiaoyuju jiaoshi laoshi xiaozhang banzhuren xuesheng
school teacher student safety xiaoyuan zhongxue xiaoxue daxue youeryuan
ezhou liangzihu hubei wuhan beijing shanghai china zhongguo
huawei xiaomi tencent baidu taobao alibaba weixin wechat qq qqq
hao123 abc123 a1b2c3 1q2w3e 1q2w3e4r 1qaz2wsx 1qaz@wsx 1qaz!qaz !qaz2wsx 2wsx3edc qaz123 qwe123
asd123 zxc123 qwer1234 asdf1234 zxcv1234 1234qwer 1234abcd abcd1234 aa123456 a123456 qq123456
admin123 root123 test123 user123 pass123 p@ss123
""".split()
ENDINGS = [
    "",
    "1",
    "12",
    "123",
    "1234",
    "12345",
    "123456",
    "12345678",
    "888",
    "666",
    "520",
    "1314",
    "5201314",
    "000",
    "111",
    "!",
    "!!",
    "!@#",
    "@",
    "#",
    ".",
    "1!",
    "123!",
    "123.",
    "@123",
    "#123",
    "@1234",
    "@123456",
    "!123",
    "_123",
    "@abc",
    "@qq",
    "@163",
    *[str(year) for year in range(1990, 2031)],
    *[f"@{year}" for year in range(2015, 2031)],
    *[f"#{year}" for year in range(2020, 2031)],
    *[f"{year}!" for year in range(2020, 2031)],
]
EXTRA = """1qaz@WSX3edc 1qaz@WSX#EDC Qaz123!@# Qwe123!@# Asd123!@# Aa123456! Aa123456 Aa111111
Abc@1234 Abc@123456 Abc123!@# Admin@888 Admin@2024 P@55w0rd Pa$$w0rd Passw0rd! Welcome1!
Huawei@123 Huawei12#$ Changeme123! Changeme@1 Xiaoan@2026 Xiaoan2026! Ab123456 Zz123456
""".split()


def main() -> None:
    rows = {(word + ending).lower() for word in WORDS for ending in ENDINGS}
    rows |= {entry.lower() for entry in EXTRA}
    target = Path(__file__).resolve().parent.parent / "xiaoan/accounts/data/common-passwords.txt.gz"
    with gzip.GzipFile(target, "wb", mtime=0) as handle:
        handle.write("".join(f"{row}\n" for row in sorted(rows)).encode())
    print(f"{len(rows)} passwords → {target}")


if __name__ == "__main__":
    main()
