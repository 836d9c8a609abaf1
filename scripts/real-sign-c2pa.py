#!/usr/bin/env python3
"""Signs a media file with a C2PA manifest that declares it AI-generated
(trainedAlgorithmicMedia). Made fixtures/real/test.c2pa-ai.avi, which no public test suite
ships: see fixtures/real/SOURCES.md. Not run by tests.

Needs the c2pa-python package (`pip install c2pa-python`). Usage:

    real-sign-c2pa.py SOURCE DEST MIME CERT_CHAIN.pem PRIVATE_KEY

The certificate and key used were c2pa-python's own test credentials
(tests/fixtures/es256_certs.pem and es256_private.key); no timestamp authority is asked, so
the result is the same offline.
"""
import sys

import c2pa

src, dst, mime, cert, key = sys.argv[1:6]
manifest = {
    "claim_generator_info": [{"name": "fixtures-real", "version": "1"}],
    "title": "test.avi",
    "assertions": [{"label": "c2pa.actions", "data": {"actions": [{
        "action": "c2pa.created",
        "digitalSourceType":
            "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"}]}}],
}
info = c2pa.C2paSignerInfo(
    alg=b"es256",
    sign_cert=open(cert, "rb").read(),
    private_key=open(key, "rb").read(),
    ta_url=None,
)
with c2pa.Signer.from_info(info) as signer, c2pa.Builder(manifest) as builder, \
        open(src, "rb") as s, open(dst, "w+b") as d:
    builder.sign(signer, mime, s, d)
