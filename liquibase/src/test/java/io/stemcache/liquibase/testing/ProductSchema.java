package io.stemcache.liquibase.testing;

import io.stemcache.liquibase.SchemaMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The product's own schema as its migration 012 creates it in production (Supabase's auth.users,
 * file_metadata, and the strict audio_analysis_cache with foreign keys, row-level security and an
 * updated_at trigger), for tests that must run where stemcache adopts the real table.
 *
 * <pre>{@code
 * try (FreshDatabase db = ProductSchema.createMigrated("adoption")) {
 *     UUID user = ProductSchema.insertUser(db.dataSource(), "ada@example.com");
 *     UUID file = ProductSchema.insertFile(db.dataSource(), user, "song.wav");
 *     ProductSchema.insertAnalysis(db.dataSource(), user, file, "vocals");
 * }
 * }</pre>
 */
public final class ProductSchema {

    /** The product's migration 012, copied; PostgreSQL 13+ has gen_random_uuid() without pgcrypto. */
    public static final String DDL = """
            CREATE SCHEMA auth;
            CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
            CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE
              AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
            CREATE TABLE file_metadata (
              id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
              user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
              file_name text NOT NULL,
              s3_key text NOT NULL,
              created_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE audio_analysis_cache (
              id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
              user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
              file_metadata_id uuid NOT NULL REFERENCES file_metadata(id) ON DELETE CASCADE,
              stem_type varchar(50) NOT NULL,
              analysis_version varchar(20) NOT NULL DEFAULT '1.0',
              sample_rate integer NOT NULL,
              duration decimal(10,3) NOT NULL,
              buffer_size integer NOT NULL,
              features_extracted text[] NOT NULL,
              analysis_data jsonb NOT NULL,
              waveform_data jsonb,
              analysis_duration integer,
              created_at timestamptz NOT NULL DEFAULT now(),
              updated_at timestamptz NOT NULL DEFAULT now(),
              UNIQUE (file_metadata_id, stem_type, analysis_version));
            CREATE INDEX idx_audio_analysis_cache_user_id ON audio_analysis_cache (user_id);
            CREATE INDEX idx_audio_analysis_cache_file_metadata_id ON audio_analysis_cache (file_metadata_id);
            CREATE INDEX idx_audio_analysis_cache_stem_type ON audio_analysis_cache (stem_type);
            CREATE INDEX idx_audio_analysis_cache_created_at ON audio_analysis_cache (created_at);
            ALTER TABLE audio_analysis_cache ENABLE ROW LEVEL SECURITY;
            CREATE POLICY "Users can access own audio analysis cache" ON audio_analysis_cache
              FOR ALL USING (auth.uid() = user_id);
            CREATE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.updated_at = now();
              RETURN NEW;
            END
            $$;
            CREATE TRIGGER update_audio_analysis_cache_updated_at BEFORE UPDATE ON audio_analysis_cache
              FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
            """;

    /** The name PostgreSQL gives the product's unnamed unique key. */
    public static final String PRODUCT_KEY = "audio_analysis_cache_file_metadata_id_stem_type_analysis_ve_key";

    /** The product's row-level security policy on audio_analysis_cache. */
    public static final String POLICY = "Users can access own audio analysis cache";

    private ProductSchema() {}

    /** A fresh database holding the product's schema only, as production was before stemcache. */
    public static FreshDatabase create(String purpose) {
        FreshDatabase database = FreshDatabase.create(purpose);
        try {
            apply(database.dataSource());
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** A fresh database holding the product's schema, then migrated by stemcache's changelog. */
    public static FreshDatabase createMigrated(String purpose) {
        FreshDatabase database = create(purpose);
        try {
            SchemaMigrations.update(database.dataSource());
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** Creates the product's schema ({@link #DDL}) in an empty database. */
    public static void apply(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            // pgjdbc splits the script into its statements itself, leaving $$ bodies whole.
            statement.execute(DDL);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the product schema: " + e.getMessage(), e);
        }
    }

    /** Inserts a Supabase user and returns its id. */
    public static UUID insertUser(DataSource dataSource, String email) {
        UUID id = UUID.randomUUID();
        update(dataSource, "INSERT INTO auth.users (id, email) VALUES (?, ?)", id, email);
        return id;
    }

    /** Inserts the user's uploaded file and returns its id. */
    public static UUID insertFile(DataSource dataSource, UUID user, String fileName) {
        UUID id = UUID.randomUUID();
        update(
                dataSource,
                "INSERT INTO file_metadata (id, user_id, file_name, s3_key) VALUES (?, ?, ?, ?)",
                id,
                user,
                fileName,
                "uploads/" + user + "/" + fileName);
        return id;
    }

    /**
     * Inserts an analysis the way the product writes one, as jsonb with no payload, in version
     * 1.0, and returns its id. Before stemcache's migrations only: after them the row also needs
     * owner_kind and owner_id.
     */
    public static UUID insertAnalysis(DataSource dataSource, UUID user, UUID file, String stemType) {
        UUID id = UUID.randomUUID();
        update(dataSource, """
                INSERT INTO audio_analysis_cache (id, user_id, file_metadata_id, stem_type, sample_rate, duration,
                  buffer_size, features_extracted, analysis_data, waveform_data, analysis_duration)
                VALUES (?, ?, ?, ?, 44100, 183.250, 2048, '{tempo,key}',
                  '{"tempo": 120.5, "key": "A minor"}', '{"peaks": [0.1, 0.9, 0.4]}', 850)""", id, user, file, stemType);
        return id;
    }

    private static void update(DataSource dataSource, String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot insert product rows: " + e.getMessage(), e);
        }
    }
}
