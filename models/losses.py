"""Lower-bound guidance for the f16 decoder (our interpretation; the paper's equations are not public).

FastVSR says its f16 decoder training "introduces a simpler training objective as a lower bound for the VAE's
performance", using a reference VAE. Ours: the reference is the frozen f8 path of the same model,

    B = U2( D8(z_hat) )                     z_hat = restorer latent, D8 = frozen f8 decoder (stage 1),
                                            U2 = fixed bicubic x2 upsampler  -> an HR estimate the f16 decoder
                                            must at least match (a floor on quality = a bound on error)

and the f16 decoder output Y (residual already added) is trained with

    L = |Y - X|_1  +  lambda * L_LB,
    L_LB = mean_p  m_p * |Y - B|_1,p ,     m_p = 1[ e_p(Y) > e_p(B) ],   e_p(.) = mean |. - X| over patch p (8x8,
                                                                                   all channels; no gradient)

X = HR target in [-1, 1]. Where the f16 decoder is worse than the reference on a patch, it is pulled towards the
reference's output, an easier target than X (it is reachable from the same latent); where it is already better,
only the HR loss acts, so the bound never holds it back. lambda = 0 is the ablation.
"""
import torch
import torch.nn.functional as F

import metrics
from fastvsr.layers import fold_frames, unfold_frames


def reference_bound(dec8, z):
    """B = bicubic x2 of the f8 decoder's output for latent z (unscaled): [B, 3, T, 16h, 16w] in ~[-1, 1]."""
    y = dec8(z)
    return unfold_frames(F.interpolate(fold_frames(y).float(), scale_factor=2.0, mode="bicubic",
                                       align_corners=False), y.shape[0])


def patch_err(y, x, p=8):
    e = (y - x).abs().mean(1)                      # [B, T, H, W]
    return F.avg_pool2d(e.flatten(0, 1)[:, None], p)[:, 0].view(*e.shape[:2], e.shape[2] // p, e.shape[3] // p)


def lower_bound_loss(y, x, bound, p=8):
    """-> (L_LB, fraction of active patches). y, x, bound: [B, 3, T, H, W], H, W multiples of p."""
    with torch.no_grad():
        m = (patch_err(y, x, p) > patch_err(bound, x, p)).float()           # [B, T, H/p, W/p]
    d = patch_err(y, bound.detach(), p)                                     # |Y - B| per patch
    return (m * d).mean(), m.mean()


# The HR objective's distance (train.py --loss). "l1": |Y - X|_1 over RGB, the recipe's since v1. "ymse": squared
# error in BT.601 luma plus a quarter of it in chroma. Why: the table scores PSNR on luma, and PSNR is a squared error,
# whose minimiser is the mean of what the input leaves possible, where L1's is its median; on texture the compression
# destroyed the two differ. Chroma keeps a small weight because the worker's output is 4:2:0 (half its chroma is
# dropped at encode) but colour must not drift. x10 makes its gradient at the typical error (|e| ~ 0.05 in [-1, 1]
# units) about L1's, so the guidance and the teacher keep the weights they had against L1.
YCBCR = torch.tensor(metrics.BT601) / 255.0
CHROMA_WEIGHT = 0.25
MSE_SCALE = 10.0


def pixel_distance(y, x, kind="l1"):
    """Mean distance between [B, 3, T, H, W] images in [-1, 1] (the HR loss and the teacher's term)."""
    if kind == "l1":
        return (y - x).abs().mean()
    if kind != "ymse":
        raise ValueError(f"unknown loss {kind!r}")
    e = torch.einsum("kc,bcthw->bkthw", YCBCR.to(y.device, y.dtype), y - x)
    sq = (e ** 2).mean(dim=(0, 2, 3, 4))
    return MSE_SCALE * (sq[0] + CHROMA_WEIGHT * (sq[1] + sq[2]))
