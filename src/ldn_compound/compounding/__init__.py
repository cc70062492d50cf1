"""Compounding records (USP <795>): master formulation records and batch records.

A master formulation record (:func:`master_formulation`) is the recipe of one
preparation, built from what the library plans; a compounding record
(:func:`compounding_record`) is one batch made by it, with what the pharmacist
entered (lots, expiries, amounts actually measured, quality-control results),
checked: an amount outside its tolerance or a failed check is never marked ok
and gets no label.
"""

from ._batch import CompoundingRecord, compounding_record
from ._master import MasterFormulation, master_formulation

__all__ = ["CompoundingRecord", "MasterFormulation", "compounding_record", "master_formulation"]
