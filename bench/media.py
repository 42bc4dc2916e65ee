"""What an upload costs: a 12-megapixel JPEG (4,000 × 3,000, made here with Pillow,
with EXIF GPS, a camera model and an orientation) through `media.uploads.store_upload()`,
which checks it, stores it without metadata and makes every rendition (the srcset widths
in WebP, JPEG and AVIF when Pillow has it, and the social card). Target: 3 s a run.
Then every stored file is opened again: none may carry EXIF.

Runs on a new, migrated SQLite database, in a temporary folder and a temporary
MEDIA_ROOT: nothing of the project's own is touched.

Usage: .venv/bin/python bench/media.py [--runs 3]
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
TARGET_SECONDS = 3.0


def photo_with_gps(width: int = 4000, height: int = 3000) -> bytes:
    """A photo-like JPEG (gradients and noise, so the encoders work as on a photo)."""
    from PIL import Image, ImageFilter

    noise = Image.effect_noise((width // 4, height // 4), 64).resize((width, height))
    gradient = Image.linear_gradient("L").resize((width, height))
    picture = Image.merge("RGB", (noise, gradient, noise.filter(ImageFilter.BLUR)))
    exif = Image.Exif()
    exif[0x0110] = "Bench Camera 12"  # Model
    exif[0x0112] = 1  # Orientation
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}  # GPS
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def set_up(media_root: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{media_root}/bench.db",
            "MEDIA_ROOT": media_root,
            "DJANGO_SETTINGS_MODULE": "certfaq.settings",
        }
    )
    os.environ.setdefault("SECRET_KEY", "bench-media-" + "x" * 40)
    import django

    django.setup()
    from django.core.management import call_command

    # The whole schema: an image's save asks which questions feature it (the stamp).
    call_command("migrate", verbosity=0)


def carries_exif(path: Path) -> bool:
    from PIL import Image

    with Image.open(path) as stored:
        return bool(stored.getexif()) or "exif" in stored.info or "xmp" in stored.info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as media_root:
        set_up(media_root)
        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import features

        from media.uploads import store_upload

        data = photo_with_gps()
        print(
            f"12-megapixel JPEG with EXIF GPS: {len(data) / 1024 / 1024:.1f} MB; "
            f"AVIF: {features.check('avif')}"
        )
        seconds = []
        for run in range(runs):
            upload = SimpleUploadedFile(f"Bench photo {run}.jpg", data, content_type="image/jpeg")
            started = time.perf_counter()
            image = store_upload(upload, title="", alt_text="A bench photo")
            seconds.append(time.perf_counter() - started)
            files = [Path(media_root) / image.file.name] + [
                Path(media_root) / rendition.file.name for rendition in image.renditions.all()
            ]
            with_exif = [path.name for path in files if carries_exif(path)]
            print(
                f"run {run + 1}: {seconds[-1]:.2f} s, {len(files)} files "
                f"({image.renditions.count()} renditions), with EXIF: {with_exif or 'none'}"
            )
            assert not with_exif, with_exif
        median = statistics.median(seconds)
        verdict = "within" if median <= TARGET_SECONDS else "OVER"
        print(f"median {median:.2f} s, max {max(seconds):.2f} s: {verdict} the {TARGET_SECONDS:g} s target")


if __name__ == "__main__":
    main()
