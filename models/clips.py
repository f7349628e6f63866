"""The v2 data set on the training device (prepare_data.py writes it): LR clips decoded once and kept as uint8,
photos kept as uint8, and HR targets rendered per crop from the photo and the clip's camera path.

    ClipSet(root, "train", device).sample(batch, frames, lr_crop, generator) -> lo [B,3,T,s,s], hi [B,3,T,4s,4s]
    ClipSet(root, "val", device).whole()  -> [(clip id, lo [1,3,T,h,w], hi [1,3,T,4h,4w])]  (HR rounded to 8 bits)

Crops are drawn uniformly over clips, start frames and positions, then flipped/transposed and reversed in time.
Decoding happens here with the decoder that made the checksums (OpenCV's FFmpeg); a clip whose frames differ
from what the CPU machine decoded is counted in `mismatched` (and logged by train.py), not silently used.
"""
import json
import os

import numpy as np
import torch
from PIL import Image

import degrade as D
from degrade import render_batch


class ClipSet:
    def __init__(self, root, split, device, limit=0, pil=None):
        self.root, self.split, self.device = root, split, device
        self.pil = device.type == "cpu" if pil is None else pil    # Pillow itself on a CPU: same values, faster
        index = json.load(open(os.path.join(root, "index.json")))
        self.clips = index["clips"][split][:limit or None]
        self.hr_size = tuple(index["splits"][split]["hr"])
        self.photos, self.lr, self.mismatched = {}, [], []
        for c in self.clips:
            if c["photo"] not in self.photos:
                p = index["photos"][c["photo"]]
                img = np.array(Image.open(os.path.join(root, p["file"])).convert("RGB"))
                if D.pixels_sha(img) != p["sha"]:
                    self.mismatched.append(p["file"])
                self.photos[c["photo"]] = torch.from_numpy(img).to(device).permute(2, 0, 1).contiguous()   # uint8
            lr = D.decode_video(os.path.join(root, c["file"]))
            if D.pixels_sha(lr) != c["lr_sha"]:
                self.mismatched.append(c["file"])
            self.lr.append(torch.from_numpy(lr).to(device))              # [T, h, w, 3] uint8
        self.T = min(c["T"] for c in self.clips)
        # every photo's pixels in one flat tensor, so a batch of crops renders in one go (degrade.render_batch)
        ids = list(self.photos)
        self.pindex = {p: i for i, p in enumerate(ids)}
        sizes = [self.photos[p].shape[1] * self.photos[p].shape[2] for p in ids]
        self.flat = torch.cat([self.photos[p].reshape(3, -1) for p in ids], 1)
        self.off = torch.tensor([0] + sizes[:-1], device=device).cumsum(0)
        self.W = torch.tensor([self.photos[p].shape[2] for p in ids], device=device)
        self.H = torch.tensor([self.photos[p].shape[1] for p in ids], device=device)

    def __len__(self):
        return len(self.clips)

    def _hr(self, i, t0, t, window):
        c = self.clips[i]
        photo, affines = self.photos[c["photo"]], c["affines"][t0:t0 + t]
        if self.pil:
            img = Image.fromarray(photo.permute(1, 2, 0).numpy())
            return torch.from_numpy(D.render_pil(img, affines, self.hr_size, window)).permute(0, 3, 1, 2).float() / 255
        return D.render(photo, affines, self.hr_size, window)                                    # [t, 3, h, w]

    def sample(self, b, t, s, g):
        """b random crops of t frames, s x s LR pixels (4s x 4s HR), as float in [0, 1]."""
        r = lambda hi: int(torch.randint(0, hi, (1,), generator=g))  # noqa: E731
        h, w = self.lr[0].shape[1:3]
        picks = []
        for _ in range(b):
            i = r(len(self.clips))
            picks.append((i, r(self.clips[i]["T"] - t + 1), r(h - s + 1), r(w - s + 1), r(8), r(2)))
        if self.pil:
            his = [self._hr(i, t0, t, (4 * y, 4 * x, 4 * s, 4 * s)) for i, t0, y, x, _, _ in picks]
        else:
            dev = self.device
            pid = torch.tensor([self.pindex[self.clips[p[0]]["photo"]] for p in picks], device=dev)
            his = render_batch(self.flat, self.off[pid], self.W[pid], self.H[pid],
                               [self.clips[i]["affines"][t0:t0 + t] for i, t0, _, _, _, _ in picks],
                               torch.tensor([4 * p[2] for p in picks], device=dev),
                               torch.tensor([4 * p[3] for p in picks], device=dev), 4 * s, 4 * s)
        los, out = [], []
        for (i, t0, y, x, flips, rev), hi in zip(picks, his):
            lo = self.lr[i][t0:t0 + t, y:y + s, x:x + s].permute(0, 3, 1, 2).float() / 255.0    # [t, 3, s, s]
            if flips & 1:
                lo, hi = lo.flip(3), hi.flip(3)
            if flips & 2:
                lo, hi = lo.flip(2), hi.flip(2)
            if flips & 4:
                lo, hi = lo.transpose(2, 3), hi.transpose(2, 3)
            if rev:
                lo, hi = lo.flip(0), hi.flip(0)
            los.append(lo)
            out.append(hi)
        return torch.stack(los).transpose(1, 2).contiguous(), torch.stack(out).transpose(1, 2).contiguous()

    def whole(self, frames=None):
        """Every clip whole: (id, lo [1,3,T,h,w], hi [1,3,T,H,W] rounded to 8 bits, as a video file would hold)."""
        out = []
        for i, c in enumerate(self.clips):
            t = frames or c["T"]
            lo = self.lr[i][:t].permute(3, 0, 1, 2)[None].float() / 255.0
            hi = self._hr(i, 0, t, None).clamp(0, 1).mul(255).round().div(255)
            out.append((c["id"], lo, hi.transpose(0, 1)[None]))
        return out
