"""Catalogue of offerings: organisation, location, offering and its code rows, import runs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalogue_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('origin', sa.String(length=500), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('deactivated', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_import'))
    )
    op.create_table('location',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('postal_code', sa.String(length=10), nullable=True),
    sa.Column('municipality_nis', sa.String(length=5), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('transport_note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_location')),
    sa.UniqueConstraint('source', 'source_id', name=op.f('uq_location_source'))
    )
    op.create_index(op.f('ix_location_municipality_nis'), 'location', ['municipality_nis'], unique=False)

    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('source', 'source_id', name=op.f('uq_organisation_source'))
    )
    op.create_table('offering',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=400), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('max_age', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('last_checked', sa.Date(), nullable=True),
    sa.Column('schedule_text', sa.String(length=300), nullable=True),
    sa.Column('schedule_days', sa.String(length=30), nullable=True),
    sa.Column('price_cents', sa.Integer(), nullable=True),
    sa.Column('is_free', sa.Boolean(), nullable=False),
    sa.Column('kansentarief_cents', sa.Integer(), nullable=True),
    sa.Column('kansentarief_percent', sa.Integer(), nullable=True),
    sa.Column('reduced_price_cents', sa.Integer(), nullable=True),
    sa.Column('artikel27', sa.Boolean(), nullable=False),
    sa.Column('paspartoe', sa.Boolean(), nullable=False),
    sa.Column('other_discount', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('how_to_register', sa.Text(), nullable=True),
    sa.Column('register_offline', sa.Text(), nullable=True),
    sa.Column('search_terms', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('active', 'inactive')", name=op.f('ck_offering_status')),
    sa.CheckConstraint('(price_cents IS NULL OR price_cents >= 0) AND (kansentarief_cents IS NULL OR kansentarief_cents >= 0)', name=op.f('ck_offering_prices')),
    sa.CheckConstraint('kansentarief_percent IS NULL OR (kansentarief_percent > 0 AND kansentarief_percent <= 100)', name=op.f('ck_offering_percent')),
    sa.CheckConstraint('min_age IS NULL OR max_age IS NULL OR min_age <= max_age', name=op.f('ck_offering_age_range')),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_offering_location_id_location')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_offering_organisation_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offering')),
    sa.UniqueConstraint('source', 'source_id', name=op.f('uq_offering_source'))
    )
    op.create_index(op.f('ix_offering_location_id'), 'offering', ['location_id'], unique=False)
    op.create_index(op.f('ix_offering_organisation_id'), 'offering', ['organisation_id'], unique=False)
    op.create_index('ix_offering_status_category', 'offering', ['status', 'category'], unique=False)

    op.create_table('offering_audience',
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_offering_audience_offering_id_offering'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offering_id', 'audience', name=op.f('pk_offering_audience'))
    )
    op.create_index(op.f('ix_offering_audience_audience'), 'offering_audience', ['audience'], unique=False)

    op.create_table('offering_feature',
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('feature', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_offering_feature_offering_id_offering'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offering_id', 'feature', name=op.f('pk_offering_feature'))
    )
    op.create_index(op.f('ix_offering_feature_feature'), 'offering_feature', ['feature'], unique=False)

    op.create_table('offering_time',
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_offering_time_offering_id_offering'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offering_id', 'part', name=op.f('pk_offering_time'))
    )
    op.create_index(op.f('ix_offering_time_part'), 'offering_time', ['part'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_offering_time_part'), table_name='offering_time')
    op.drop_table('offering_time')
    op.drop_index(op.f('ix_offering_feature_feature'), table_name='offering_feature')
    op.drop_table('offering_feature')
    op.drop_index(op.f('ix_offering_audience_audience'), table_name='offering_audience')
    op.drop_table('offering_audience')
    op.drop_index('ix_offering_status_category', table_name='offering')
    op.drop_index(op.f('ix_offering_organisation_id'), table_name='offering')
    op.drop_index(op.f('ix_offering_location_id'), table_name='offering')
    op.drop_table('offering')
    op.drop_table('organisation')
    op.drop_index(op.f('ix_location_municipality_nis'), table_name='location')
    op.drop_table('location')
    op.drop_table('catalogue_import')