"""Bundled event files, installed as the package ``diplo_examples`` so `diplo demo` finds them."""
