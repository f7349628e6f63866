import os
import sys

sys.dont_write_bytecode = True  # pytest must not write into the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
