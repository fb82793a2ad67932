"""The local store's tests of the journal contract, run on the clinic store: the same
conflict questions (EntryExists, EntryChanged), revisions and frame patches."""

from __future__ import annotations

import pytest

from backtrack.clinic.store import ClinicStore
from backtrack.journal import JOURNAL_METHODS, Journal
from tests.lib.test_frames import (  # noqa: F401
    test_a_splice_and_a_resort_give_the_same_frame,
    test_empty_frame_keeps_its_columns,
    test_frame_has_one_row_per_entry_with_reps_columns,
    test_patched_rows_keep_morning_before_evening,
    test_random_writes_patched_one_by_one_or_together_match_a_full_reload,
    test_reactions_reach_the_frame_and_its_patches,
    test_the_frame_cache_carries_the_other_revision,
    test_the_frame_cache_patches_writes_and_matches_a_full_reload,
)
from tests.lib.test_journal import same_signature
from tests.lib.test_store import (  # noqa: F401
    test_an_edit_of_an_entry_changed_elsewhere_is_detected_not_overwritten,
    test_an_edit_of_an_entry_deleted_elsewhere_is_detected,
    test_delete,
    test_delete_of_an_entry_changed_elsewhere_is_refused,
    test_editing_an_entry_can_move_it_to_a_free_slot,
    test_entries_in_a_range_latest_and_count,
    test_every_write_bumps_the_revision,
    test_import_reports_progress,
    test_import_upserts_and_is_idempotent,
    test_moving_onto_an_occupied_slot_asks_and_then_keeps_one_entry,
    test_replacing_asks_again_if_the_entry_shown_has_changed,
    test_reps_of_an_exercise_taken_out_of_the_programme_are_kept,
    test_save_and_read_back,
    test_saving_over_an_existing_date_and_slot_asks_first,
    test_start_date_setting,
    test_the_other_revision_moves_on_with_every_write_but_an_entries_only_one,
)

pytestmark = pytest.mark.clinic


@pytest.mark.parametrize("name", JOURNAL_METHODS)
def test_clinic_store_keeps_the_journal_interface(name):
    same_signature(ClinicStore, name)


def test_clinic_store_is_a_journal(store):
    assert isinstance(store, Journal)
