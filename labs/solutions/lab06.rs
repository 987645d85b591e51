// Lab 6, reference solution: a structure of arrays. The masses a scan reads lie next to each
// other, sixteen to a line; the other fields are kept, in their own arrays, for `get`.

/// A particle as the simulation hands it over (one 64-byte record, shared by every version).
pub use crate::work::Particle;

/// Every particle of a simulation, one array per field that is scanned on its own.
#[derive(Clone, Debug, Default)]
pub struct Particles {
    mass: Vec<f32>,
    rest: Vec<Rest>,
}

/// The fields no scan reads.
#[derive(Clone, Copy, Debug)]
struct Rest {
    position: [f32; 3],
    velocity: [f32; 3],
    charge: f32,
    id: u64,
    tag: [u8; 24],
}

impl Particles {
    /// Stores `particles`, in order.
    pub fn new(particles: &[Particle]) -> Particles {
        Particles {
            mass: particles.iter().map(|p| p.mass).collect(),
            rest: particles
                .iter()
                .map(|p| Rest {
                    position: p.position,
                    velocity: p.velocity,
                    charge: p.charge,
                    id: p.id,
                    tag: p.tag,
                })
                .collect(),
        }
    }

    /// How many particles there are.
    pub fn len(&self) -> usize {
        self.mass.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.mass.is_empty()
    }

    /// Particle `i`, as it was stored.
    ///
    /// # Panics
    ///
    /// If `i` is out of range.
    pub fn get(&self, i: usize) -> Particle {
        let r = self.rest[i];
        Particle {
            position: r.position,
            velocity: r.velocity,
            mass: self.mass[i],
            charge: r.charge,
            id: r.id,
            tag: r.tag,
        }
    }

    /// How many particles are heavier than `mass`.
    pub fn count_heavier(&self, mass: f32) -> usize {
        self.mass.iter().filter(|&&m| m > mass).count()
    }
}
