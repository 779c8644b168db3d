#!/usr/bin/python3
"""Writes container images as docker-archive tarballs without a Docker engine or a registry.

    docker-archive.py layer DIR OUT.tar [--clamp-mtime]
        Packs the tree under DIR as one image layer (an uncompressed tar, paths relative to DIR,
        numeric owners, sorted so the same tree gives the same bytes). An overlayfs upper
        directory is understood: a 0:0 character device (a deleted file) becomes a `.wh.NAME`
        whiteout, a directory marked opaque gets a `.wh..wh..opq` entry. --clamp-mtime sets every
        mtime to 0, so that a layer made from committed files has the same digest everywhere.

    docker-archive.py image OUT.tar SPEC.json
        Writes one docker-archive holding the images SPEC describes:
            {"images": [{"tags": ["localhost/x:1"], "layers": ["base.tar", "app.tar"],
                         "config": {"User": "10001:0", "Cmd": [...], ...}}, ...]}
        Layers are stored once however many images share them (same file = same digest), which
        is what lets `ctr images import` share them too.

Only the Python standard library is used (the host's /usr/bin/python3).
"""
import hashlib
import io
import json
import os
import stat
import sys
import tarfile

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"


def _is_whiteout(st):
    return stat.S_ISCHR(st.st_mode) and st.st_rdev == 0


def _is_opaque(path):
    for name in ("trusted.overlay.opaque", "user.overlay.opaque"):
        try:
            if os.getxattr(path, name, follow_symlinks=False) == b"y":
                return True
        except OSError:
            pass
    return False


def write_layer(src, out, clamp_mtime):
    hardlinks = {}

    def info_for(path, arcname, st):
        ti = tarfile.TarInfo(arcname)
        ti.mode = stat.S_IMODE(st.st_mode)
        ti.uid, ti.gid = st.st_uid, st.st_gid
        ti.uname = ti.gname = ""
        ti.mtime = 0 if clamp_mtime else int(st.st_mtime)
        if stat.S_ISDIR(st.st_mode):
            ti.type = tarfile.DIRTYPE
        elif stat.S_ISLNK(st.st_mode):
            ti.type = tarfile.SYMTYPE
            ti.linkname = os.readlink(path)
        elif stat.S_ISREG(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if st.st_nlink > 1 and key in hardlinks:
                ti.type = tarfile.LNKTYPE
                ti.linkname = hardlinks[key]
            else:
                hardlinks[key] = arcname
                ti.type = tarfile.REGTYPE
                ti.size = st.st_size
        elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
            ti.type = tarfile.CHRTYPE if stat.S_ISCHR(st.st_mode) else tarfile.BLKTYPE
            ti.devmajor, ti.devminor = os.major(st.st_rdev), os.minor(st.st_rdev)
        elif stat.S_ISFIFO(st.st_mode):
            ti.type = tarfile.FIFOTYPE
        else:
            return None  # sockets have no place in an image
        return ti

    def empty_file(arcname):
        ti = tarfile.TarInfo(arcname)
        ti.mode, ti.mtime, ti.uname, ti.gname = 0o644, 0, "", ""
        return ti

    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        # os.walk sorted in place gives a stable order; directories come before their contents.
        for dirpath, dirnames, filenames in os.walk(src):
            dirnames.sort()
            rel_dir = os.path.relpath(dirpath, src)
            if rel_dir != ".":
                st = os.lstat(dirpath)
                tar.addfile(info_for(dirpath, rel_dir, st))
                if _is_opaque(dirpath):
                    tar.addfile(empty_file(os.path.join(rel_dir, OPAQUE)))
            # symlinks to directories are listed in dirnames by os.walk but not followed
            entries = sorted(filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))])
            for name in entries:
                path = os.path.join(dirpath, name)
                arcname = name if rel_dir == "." else os.path.join(rel_dir, name)
                st = os.lstat(path)
                if _is_whiteout(st):
                    tar.addfile(empty_file(os.path.join(os.path.dirname(arcname), WHITEOUT + name)))
                    continue
                ti = info_for(path, arcname, st)
                if ti is None:
                    continue
                if ti.type == tarfile.REGTYPE:
                    with open(path, "rb") as f:
                        tar.addfile(ti, f)
                else:
                    tar.addfile(ti)


def sha256_of(path):
    """The layer's digest, remembered next to it (a layer file never changes once written)."""
    memo = path + ".sha256"
    if os.path.exists(memo) and os.path.getmtime(memo) >= os.path.getmtime(path):
        with open(memo) as f:
            return f.read().strip()
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    with open(memo, "w") as f:
        f.write(digest + "\n")
    return digest


def write_image(out, spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    tmp = out + ".tmp"
    written = set()
    manifest = []
    with tarfile.open(tmp, "w") as tar:

        def add_bytes(name, data):
            ti = tarfile.TarInfo(name)
            ti.size, ti.mode = len(data), 0o644
            tar.addfile(ti, io.BytesIO(data))

        for image in spec["images"]:
            digests = [sha256_of(layer) for layer in image["layers"]]
            layer_names = []
            for layer, digest in zip(image["layers"], digests):
                name = digest + "/layer.tar"
                if name not in written:
                    tar.add(layer, arcname=name)
                    written.add(name)
                layer_names.append(name)
            config = {
                "architecture": "amd64",
                "os": "linux",
                "config": image.get("config", {}),
                "rootfs": {"type": "layers", "diff_ids": ["sha256:" + d for d in digests]},
                "history": [{"created_by": os.path.basename(layer)} for layer in image["layers"]],
            }
            config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
            config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
            if config_name not in written:
                add_bytes(config_name, config_bytes)
                written.add(config_name)
            manifest.append({"Config": config_name, "RepoTags": image["tags"], "Layers": layer_names})
        add_bytes("manifest.json", json.dumps(manifest, indent=1).encode())
    os.replace(tmp, out)


def main(argv):
    if len(argv) >= 3 and argv[0] == "layer":
        write_layer(argv[1], argv[2], "--clamp-mtime" in argv[3:])
    elif len(argv) == 3 and argv[0] == "image":
        write_image(argv[1], argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
