import sys, c2pa
src, dst, mime, cert, key = sys.argv[1:6]
manifest = {
    "claim_generator_info": [{"name": "fixtures-real", "version": "1"}],
    "title": "test.avi",
    "assertions": [{"label": "c2pa.actions", "data": {"actions": [{
        "action": "c2pa.created",
        "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"}]}}],
}
info = c2pa.C2paSignerInfo(alg=b"es256", sign_cert=open(cert, "rb").read(), private_key=open(key, "rb").read(), ta_url=None)
with c2pa.Signer.from_info(info) as signer, c2pa.Builder(manifest) as builder, open(src, "rb") as s, open(dst, "w+b") as d:
    builder.sign(signer, mime, s, d)
