"""Latif et al. 2017: VAE / CVAE latent features of log-mel segments, LSTM classifier (IEMOCAP)."""
