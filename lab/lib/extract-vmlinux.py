#!/usr/bin/env python3
"""extract-vmlinux.py BZIMAGE VMLINUX: the uncompressed ELF kernel inside Debian's xz bzImage.

QEMU boots the ELF directly (PVH entry); under TCG the bzImage's own decompression costs a lab
guest about half of its boot (20 s -> 10 s to SSH for vm1.lab), a nested guest far more.
"""
import lzma
import os
import sys

bzimage, vmlinux = sys.argv[1], sys.argv[2]
data = open(bzimage, "rb").read()
at = data.find(b"\xfd7zXZ\x00")
if at < 0:
    sys.exit("extract-vmlinux: no xz stream in " + bzimage)
elf = lzma.LZMADecompressor().decompress(data[at:])
if elf[:4] != b"\x7fELF":
    sys.exit("extract-vmlinux: the xz stream of " + bzimage + " is not an ELF kernel")
partial = vmlinux + ".partial"
with open(partial, "wb") as out:
    out.write(elf)
os.replace(partial, vmlinux)
