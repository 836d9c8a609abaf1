#!/usr/bin/env bash
# Regenerates fixtures/real/reference.json: what ffprobe, mediainfo and the c2pa library read
# from each file of the real-media set. Run by hand when a file is added; tests and
# `make accuracy` only read the committed result, so they need none of these tools.
#
# Needs: ffprobe (FFmpeg), mediainfo, python3, and for C2PA either c2patool on PATH or a
# Python with the c2pa-python package (`pip install c2pa-python`; point C2PA_PYTHON at that
# interpreter when it is not python3).
#
# Each file's `expected` block (the truth, written by hand with a `why` beside every value
# that differs from one of the tools) is kept as it is; only the tool readings are replaced.
# A file without an `expected` block gets an empty one to fill in.
set -euo pipefail

cd "$(dirname "$0")/.."
DIR=fixtures/real
OUT=$DIR/reference.json

for tool in ffprobe mediainfo python3; do
    command -v "$tool" >/dev/null || { echo "real-references: $tool is not installed" >&2; exit 1; }
done
C2PA_PYTHON=${C2PA_PYTHON:-python3}
if command -v c2patool >/dev/null; then
    C2PA_READER=c2patool
elif "$C2PA_PYTHON" -c 'import c2pa' 2>/dev/null; then
    C2PA_READER=python
else
    echo "real-references: neither c2patool nor the c2pa Python package is available" >&2
    exit 1
fi

export DIR OUT C2PA_READER C2PA_PYTHON
python3 - <<'PY'
import json, os, subprocess, sys

DIR, OUT = os.environ["DIR"], os.environ["OUT"]
MEDIA = sorted(
    f for f in os.listdir(DIR)
    if os.path.isfile(os.path.join(DIR, f)) and not f.endswith((".md", ".json"))
)

STREAM_KEYS = [
    "index", "codec_type", "codec_name", "profile", "width", "height", "pix_fmt",
    "r_frame_rate", "avg_frame_rate", "time_base", "start_time", "duration", "nb_frames",
    "nb_read_packets", "bits_per_raw_sample", "bits_per_sample", "sample_fmt", "sample_rate",
    "channels", "color_transfer", "color_primaries", "field_order",
]
# Side data that decides HDR kind and orientation; the rest (CPB, stereo 3D...) is noise here.
SIDE_KEYS = {
    "Display Matrix": ["rotation"],
    "Mastering display metadata": [
        "red_x", "red_y", "green_x", "green_y", "blue_x", "blue_y", "white_point_x",
        "white_point_y", "min_luminance", "max_luminance"],
    "Content light level metadata": ["max_content", "max_average"],
    "DOVI configuration record": [
        "dv_version_major", "dv_version_minor", "dv_profile", "dv_level", "rpu_present_flag",
        "el_present_flag", "bl_present_flag", "dv_bl_signal_compatibility_id"],
}
TAG_PREFIXES = ("com.apple.quicktime.", "com.android.", "location", "encoder", "make", "model")


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def ffprobe(path):
    code, out, err = run([
        "ffprobe", "-v", "error", "-show_format", "-show_streams", "-count_packets",
        "-of", "json", path])
    if code != 0:
        return {"error": err.strip().splitlines()[-1] if err.strip() else f"exit {code}"}
    j = json.loads(out)
    streams = []
    for s in j.get("streams", []):
        keep = {k: s[k] for k in STREAM_KEYS if k in s}
        side = []
        for sd in s.get("side_data_list", []):
            t = sd.get("side_data_type")
            if t in SIDE_KEYS:
                side.append({"type": t, **{k: sd[k] for k in SIDE_KEYS[t] if k in sd}})
        if side:
            keep["side_data"] = side
        tags = {k: v for k, v in s.get("tags", {}).items() if k in ("rotate", "language")}
        if tags:
            keep["tags"] = tags
        streams.append(keep)
    fmt = j.get("format", {})
    f = {k: fmt[k] for k in ("format_name", "start_time", "duration") if k in fmt}
    tags = {k: v for k, v in fmt.get("tags", {}).items() if k.lower().startswith(TAG_PREFIXES)}
    if tags:
        f["tags"] = tags
    return {"format": f, "streams": streams, "warnings": sorted(set(
        l for l in err.strip().splitlines() if l))[:5]}


MI_KEYS = [
    "Format", "Format_Profile", "Duration", "FrameRate", "FrameRate_Mode", "FrameRate_Minimum",
    "FrameRate_Maximum", "FrameRate_Original", "FrameRate_Mode_Original", "FrameCount", "BitDepth",
    "HDR_Format", "HDR_Format_Profile", "HDR_Format_Compatibility", "transfer_characteristics",
    "MasteringDisplay_Luminance", "MaxCLL", "MaxFALL", "ScanType", "ScanOrder",
    "ScanType_StoreMethod", "Width", "Height", "Rotation", "Channels", "SamplingRate",
]


def mediainfo(path):
    code, out, err = run(["mediainfo", "--Output=JSON", path])
    if code != 0 or not out.strip():
        return {"error": err.strip() or f"exit {code}"}
    tracks = json.loads(out).get("media", {}).get("track", [])
    return [
        {"type": t.get("@type"), **{k: t[k] for k in MI_KEYS if k in t}}
        for t in tracks
    ]


def c2pa_python(path):
    code, out, err = run([os.environ["C2PA_PYTHON"], "-c", r"""
import json, sys, c2pa
try:
    r = c2pa.Reader(sys.argv[1])
    print(r.json())
except Exception as e:
    print(json.dumps({"__error": f"{type(e).__name__}: {e}"}))
""", path])
    return json.loads(out) if code == 0 and out.strip() else {"__error": err.strip()}


def c2pa_tool(path):
    code, out, err = run(["c2patool", path])
    if code != 0:
        return {"__error": err.strip().splitlines()[-1] if err.strip() else f"exit {code}"}
    return json.loads(out)


def c2pa(path):
    j = c2pa_tool(path) if os.environ["C2PA_READER"] == "c2patool" else c2pa_python(path)
    if "__error" in j:
        return {"present": False, "error": j["__error"][:200]}
    m = j.get("manifests", {}).get(j.get("active_manifest"), {})
    actions = []
    for a in m.get("assertions", []):
        if a.get("label", "").startswith("c2pa.actions"):
            for act in a.get("data", {}).get("actions", []):
                actions.append({"action": act.get("action"),
                                "digitalSourceType": act.get("digitalSourceType")})
    gen = m.get("claim_generator") or [
        g.get("name") for g in m.get("claim_generator_info", [])]
    return {
        "present": True,
        "validation_state": j.get("validation_state"),
        "claim_generator": gen,
        "actions": actions,
        "validation_codes": sorted({s.get("code") for s in j.get("validation_status") or []}),
    }


old = {}
if os.path.exists(OUT):
    old = json.load(open(OUT))
tools = {
    "ffprobe": run(["ffprobe", "-version"])[1].splitlines()[0],
    "mediainfo": run(["mediainfo", "--version"])[1].strip().splitlines()[-1],
    "c2pa": os.environ["C2PA_READER"],
}
# The notes written by hand beside the tools' names (what a fact means) are kept.
ref = {"_about": {
    **old.get("_about", {}),
    "made_by": "scripts/real-references.sh",
    "tools": tools,
    "expected": "the truth reelcheck should report, written by hand; `why` explains each "
                "value that differs from a tool's reading",
}}
for name in MEDIA:
    path = os.path.join(DIR, name)
    print(f"reading {name}", file=sys.stderr)
    ref[name] = {
        "ffprobe": ffprobe(path),
        "mediainfo": mediainfo(path),
        "c2pa": c2pa(path),
        "expected": old.get(name, {}).get("expected", {}),
    }
with open(OUT, "w") as f:
    json.dump(ref, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"wrote {OUT} ({len(MEDIA)} files)", file=sys.stderr)
PY
